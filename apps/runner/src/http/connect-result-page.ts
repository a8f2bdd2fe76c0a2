import type { FlowOutcome } from '../oauth/connect-flows.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page the popup lands on after Bitbucket. The result rides in a JSON data block (not executed);
 * /oauth/connect-result.js posts it to the opener with the dashboard's exact origin and closes the
 * window. No inline script, so a strict CSP holds.
 */
export function renderConnectResultPage(outcome: FlowOutcome): string {
  const message = {
    type: 'runner-console:connect-result',
    flowId: outcome.flowId,
    status: outcome.status,
    failureCode: outcome.failureCode,
    message: outcome.message,
    accountName: outcome.accountName,
  };
  const data = JSON.stringify({ message, targetOrigin: outcome.dashboardOrigin }).replace(/</g, '\\u003c');
  const title = outcome.status === 'connected' ? 'Connected' : 'Could not connect';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Runner Console</title><link rel="stylesheet" href="/oauth/connect-result.css"></head>
<body><main>
<h1>${title}</h1>
<p role="${outcome.status === 'connected' ? 'status' : 'alert'}">${escapeHtml(outcome.message)}</p>
<p class="hint">This window closes by itself. If it does not, close it and go back to Runner Console.</p>
</main>
<script type="application/json" id="connect-result">${data}</script>
<script src="/oauth/connect-result.js"></script>
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
main{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:2rem;max-width:28rem}h1{font-size:1.25rem;margin-top:0}.hint{color:#4b5563;font-size:.875rem}`;
