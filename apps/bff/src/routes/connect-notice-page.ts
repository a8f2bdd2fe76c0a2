import type { ConnectResultMessage } from '@runner-console/contracts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A minimal page for the Connect popup when the flow cannot even start (no script: CSP-safe). */
export function renderConnectNotice(message: string, title = 'Connect could not start'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1><p role="alert">${escapeHtml(message)}</p><p>Close this window to go back to Runner Console.</p></main></body></html>`;
}

/** Where the result page's script is served (same origin, so the CSP's script-src 'self' holds). */
export const connectResultScriptPath = '/api/connect/result.js';
export const connectResultStylesPath = '/api/connect/result.css';

/**
 * The page the Connect popup ends on, on the dashboard's origin, once the BFF has decided the flow.
 * The result rides in a JSON data block (not executed); the script posts it to the opener with this
 * origin as the exact target and closes the window. A browser that was handed someone else's link
 * has no opener of ours, and reads why nothing was connected.
 */
export function renderConnectResult(message: ConnectResultMessage, dashboardOrigin: string): string {
  const data = JSON.stringify({ message, targetOrigin: dashboardOrigin }).replace(/</g, '\\u003c');
  const title = message.status === 'connected' ? 'Connected' : 'Not connected';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Runner Console</title><link rel="stylesheet" href="${connectResultStylesPath}"></head>
<body><main><h1>${title}</h1>
<p role="${message.status === 'connected' ? 'status' : 'alert'}">${escapeHtml(message.message)}</p>
<p>${message.failureCode === 'wrong_user' ? 'You can close this window.' : 'This window closes by itself. If it does not, close it and go back to Runner Console.'}</p></main>
<script type="application/json" id="connect-result">${data}</script>
<script src="${connectResultScriptPath}"></script>
</body></html>`;
}

export const connectResultScript = `(() => {
  const data = JSON.parse(document.getElementById('connect-result').textContent);
  if (window.opener && data.targetOrigin) {
    try { window.opener.postMessage(data.message, data.targetOrigin); } catch (e) { /* opener gone */ }
    setTimeout(() => window.close(), 50);
  }
})();
`;

export const connectResultStyles = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9;color:#1d2330}
main{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:2rem;max-width:28rem;margin:1rem}h1{font-size:1.25rem;margin-top:0}`;
