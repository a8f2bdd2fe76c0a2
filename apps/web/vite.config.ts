import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the SPA is served by Vite and talks to the BFF through this proxy, so the browser
// sees one origin, as in production where the BFF serves the built files from dist/.
const bffUrl = process.env.BFF_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: {
      // Covers JSON calls, the EventSource stream (/api/events) and any WebSocket upgrade.
      '/api': {
        target: bffUrl,
        changeOrigin: true,
        ws: true,
        xfwd: true,
        configure: (proxy) => {
          // The BFF refuses writes whose Origin is not its own (CSRF). Here the dev server stands in
          // for the BFF's origin, so present the browser's requests as coming from it.
          proxy.on('proxyReq', (proxyRequest) => {
            if (proxyRequest.getHeader('origin'))
              proxyRequest.setHeader('origin', new URL(bffUrl).origin);
          });
        },
      },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than our code: separate chunks stay cached across releases.
        // The other libraries stay with the pages that use them (no catch-all vendor chunk), so a
        // page does not download the modal's form and sealing libraries before it needs them.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
            },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
});
