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
    // Fonts stay files: a small subset inlined as a data: URL would be refused by the CSP's
    // font-src 'self' (and logged as a violation).
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
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
            // The forms' library with its zod resolver (otherwise a chunk named after the resolver).
            {
              name: 'react-hook-form',
              test: /node_modules[\\/](react-hook-form|@hookform[\\/]resolvers)[\\/]/,
            },
            // Small pieces shared by several pages, each of which was a chunk of a few hundred bytes:
            // together with what they import (the contracts, the API client, Button), which every
            // page loads anyway, they make one chunk. Nothing large or lazily loaded belongs here
            // (a module's imports come along, and the chunk loads with the first page).
            {
              name: 'ui',
              test: /src[\\/](components[\\/]ui[\\/](dialog|alert-dialog|confirm-dialog|copy-field|text-field|password-field|query-state|empty-state|relative-time|status-badge)\.tsx|lib[\\/](use-now|format-time|all-pages)\.ts)$/,
            },
            // The provider catalogue and its URL reader, which the runner page and New environment both load.
            {
              name: 'scm-providers',
              test: /packages[\\/]scm-providers[\\/]src[\\/](scm-provider-catalogue|read-url-like)\.ts$/,
            },
          ],
        },
      },
    },
  },
});
