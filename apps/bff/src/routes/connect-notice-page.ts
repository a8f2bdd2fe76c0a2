/** A minimal page for the Connect popup when the flow cannot even start (no script: CSP-safe). */
export function renderConnectNotice(message: string): string {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Connect could not start</title></head>
<body><main><h1>Connect could not start</h1><p role="alert">${escaped}</p><p>Close this window to go back to Runner Console.</p></main></body></html>`;
}
