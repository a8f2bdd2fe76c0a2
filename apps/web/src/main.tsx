import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config } from 'zod/mini';
import { App } from './app/app.tsx';
// The dashboard's own fonts, served from its origin: pages look the same on every machine (a
// machine's `monospace` or `system-ui` differs, and so did the screenshots).
import '@fontsource-variable/inter/wght.css';
import '@fontsource-variable/jetbrains-mono/wght.css';
import './styles/app.css';

// Zod's fast path compiles validators with `new Function`, which our CSP (no 'unsafe-eval') forbids.
// The contracts are zod/mini schemas without zod's English locale: every message a form shows is
// written in the contract, and anything else reads "Invalid input".
config({ jitless: true });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
