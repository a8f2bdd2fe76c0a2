import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import compression from 'compression';
import { Router } from 'express';
import { openApiPath } from './openapi-routes.ts';

export const apiDocsPath = '/api/docs';
const assetsPath = `${apiDocsPath}/assets`;

/**
 * The API reference at /api/docs: Redoc (a maintained OpenAPI renderer, from npm, served from this
 * origin: no CDN) rendering /api/openapi.json.
 *
 * The page keeps the dashboard's policy for scripts (files of this origin only, no eval). Redoc
 * styles itself with styled-components, which writes <style> elements from script; those carry a
 * per-request nonce, the only addition to `style-src 'self'`. A style element in injected markup has
 * no nonce and stays blocked. (Inline `style` attributes are not needed: React sets styles through the
 * CSSOM, which CSP does not restrict.)
 */
export function createApiDocsRoutes(): Router {
  const router = Router();
  const require = createRequire(import.meta.url);
  const redocFile = require.resolve('redoc/bundles/redoc.standalone.js');
  // Redoc's sidebar shows its logo from a CDN. Nothing here loads from outside (the CSP would block
  // it and log a violation), so that one image becomes an empty one; the "API docs by Redocly" text stays.
  const redoc = fs
    .readFileSync(redocFile, 'utf8')
    .replace('https://cdn.redoc.ly/redoc/logo-mini.svg', 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
  const redocVersion = (require('redoc/package.json') as { version: string }).version;

  router.use(apiDocsPath, compression({ threshold: 1024 }));

  router.get(apiDocsPath, (_req, res) => {
    const nonce = randomBytes(18).toString('base64');
    res
      .set({
        'Content-Security-Policy': [
          "default-src 'self'",
          "script-src 'self'",
          `style-src 'self' 'nonce-${nonce}'`,
          "img-src 'self' data:",
          "connect-src 'self'",
          "font-src 'self'",
          // Redoc's search index runs in a worker it makes from a blob of its own bundle.
          "worker-src 'self' blob:",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join('; '),
        'Cache-Control': 'no-store',
      })
      .type('html')
      .send(docsPage(nonce));
  });

  const asset = (name: string, type: string, body: string) =>
    router.get(`${assetsPath}/${name}`, (_req, res) => {
      res.set({ 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }).type(type).send(body);
    });
  asset(`redoc-${redocVersion}.standalone.js`, 'js', redoc);
  asset('api-docs-nonce.js', 'js', NONCE_SCRIPT);
  asset('api-docs.js', 'js', INIT_SCRIPT);
  asset('api-docs.css', 'css', STYLESHEET);

  function docsPage(nonce: string): string {
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="csp-nonce" content="${nonce}" />
    <title>API reference · Runner Console</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="${assetsPath}/api-docs.css" />
  </head>
  <body>
    <header class="api-docs-header">
      <a href="/">Runner Console</a>
      <span>API reference</span>
      <a href="${openApiPath}">openapi.json</a>
    </header>
    <main id="api-reference" data-spec-url="${openApiPath}">
      <p class="api-docs-loading" role="status">Loading the API reference…</p>
      <noscript>The reference needs JavaScript. The OpenAPI document is at <a href="${openApiPath}">${openApiPath}</a>.</noscript>
    </main>
    <script src="${assetsPath}/api-docs-nonce.js"></script>
    <script src="${assetsPath}/redoc-${redocVersion}.standalone.js"></script>
    <script src="${assetsPath}/api-docs.js"></script>
  </body>
</html>
`;
  }

  return router;
}

// Runs before Redoc: every <style> element made by script gets this page's nonce, so the styles
// styled-components writes are allowed while injected markup stays blocked. Written here because no
// library does this one thing; it is the nonce hook styled-components expects a bundler to provide.
const NONCE_SCRIPT = `(function () {
  var meta = document.querySelector('meta[name="csp-nonce"]');
  var nonce = meta && meta.getAttribute('content');
  if (!nonce) return;
  meta.removeAttribute('content');
  var create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    var element = create.call(this, name, options);
    if (String(name).toLowerCase() === 'style') element.setAttribute('nonce', nonce);
    return element;
  };
})();
`;

const INIT_SCRIPT = `(function () {
  var root = document.getElementById('api-reference');
  var fail = function (error) {
    root.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'api-docs-error';
    p.setAttribute('role', 'alert');
    p.textContent = 'The API reference could not be shown (' + (error && error.message ? error.message : 'unknown error') + '). The OpenAPI document is at ' + root.dataset.specUrl + '.';
    root.appendChild(p);
  };
  if (!window.Redoc) return fail(new Error('the renderer did not load'));
  window.Redoc.init(
    root.dataset.specUrl,
    {
      expandResponses: '200,201,204',
      hideDownloadButton: false,
      jsonSampleExpandLevel: 3,
      pathInMiddlePanel: true,
      sortPropsAlphabetically: false,
      theme: {
        colors: { primary: { main: '#1d5bd8' } },
        typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif', headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif' }, code: { fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' } },
        sidebar: { width: '280px' },
      },
    },
    root,
    function (error) { if (error) fail(error); },
  );
})();
`;

const STYLESHEET = `
html, body { margin: 0; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #101828; }
.api-docs-header { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: baseline; padding: 12px 20px; border-bottom: 1px solid #e4e7ec; }
.api-docs-header a { color: #1d5bd8; }
.api-docs-header a:first-child { font-weight: 650; color: #101828; text-decoration: none; }
.api-docs-header span { color: #475467; }
.api-docs-header a:last-child { margin-left: auto; }
.api-docs-loading, .api-docs-error { padding: 24px 20px; }
.api-docs-error { color: #b42318; }
`;
