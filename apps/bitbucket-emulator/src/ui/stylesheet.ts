import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The pages' fonts, served by the emulator itself (the same files the dashboard uses, from
 * @fontsource): a machine's own `monospace` or sans-serif differs, and so did the screenshots.
 */
export const EMULATOR_FONTS = [
  { family: 'Inter Variable', path: '/_emulator/fonts/inter.woff2', file: require.resolve('@fontsource-variable/inter/files/inter-latin-wght-normal.woff2') },
  { family: 'JetBrains Mono Variable', path: '/_emulator/fonts/jetbrains-mono.woff2', file: require.resolve('@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2') },
] as const;

const fontFaces = EMULATOR_FONTS.map(
  (f) => `@font-face { font-family: '${f.family}'; font-style: normal; font-weight: 100 900; font-display: swap; src: url(${f.path}) format('woff2-variations'); }`,
).join('\n');

/** The emulator's only stylesheet, served from STYLESHEET_PATH (no inline styles, per the CSP). */
export const STYLESHEET = `${fontFaces}
:root { color-scheme: light; --blue: #0052cc; --text: #172b4d; --muted: #5e6c84; --border: #dfe1e6; --danger: #de350b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 'Inter Variable', -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: var(--text); background: #f4f5f7; }
.site-header { display: flex; justify-content: space-between; align-items: center; padding: 0.75rem 1.5rem; background: var(--blue); color: #fff; }
.site-header a, .site-header .link-button { color: #fff; }
.brand { font-weight: 600; font-size: 1.1rem; text-decoration: none; }
.badge { font-size: 0.7rem; text-transform: uppercase; background: rgba(255,255,255,0.2); border-radius: 3px; padding: 0.1rem 0.35rem; }
.account-menu { display: flex; gap: 0.75rem; align-items: center; margin: 0; }
main { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 1.5rem 2rem; }
.narrow { max-width: 28rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin-top: 0; }
h2 { font-size: 1.1rem; }
.breadcrumbs { color: var(--muted); margin-bottom: 0.5rem; }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 1rem; }
.field.checkbox, .checkbox { flex-direction: row; align-items: center; gap: 0.5rem; display: flex; flex-wrap: wrap; }
.field.checkbox .hint { flex-basis: 100%; margin: 0 0 0 1.5rem; }
label { font-weight: 600; }
.checkbox label { font-weight: 400; }
input[type=text], input[type=url], input[type=password], input:not([type]), textarea { font: inherit; padding: 0.45rem 0.6rem; border: 2px solid var(--border); border-radius: 3px; }
input:focus, textarea:focus, button:focus, a:focus { outline: 2px solid var(--blue); outline-offset: 2px; }
input.code, code { font-family: 'JetBrains Mono Variable', ui-monospace, SFMono-Regular, Menlo, monospace; }
.scope { color: var(--muted); font-size: 0.85em; }
fieldset { border: 1px solid var(--border); border-radius: 4px; margin: 0 0 1rem; padding: 0.5rem 1rem 0.75rem; }
fieldset.permission-group { display: inline-block; vertical-align: top; min-width: 12rem; margin-right: 0.5rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
.actions { display: flex; gap: 0.75rem; align-items: center; margin-top: 1rem; }
button, .button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 3px; border: 1px solid var(--border); background: #f4f5f7; color: var(--text); cursor: pointer; text-decoration: none; display: inline-block; }
button.primary, .button.primary { background: var(--blue); border-color: var(--blue); color: #fff; }
.link-button { background: none; border: none; padding: 0; text-decoration: underline; }
.hint { color: var(--muted); }
.error { color: var(--danger); border-left: 4px solid var(--danger); padding-left: 0.75rem; }
.field-error { color: var(--danger); margin: 0; }
table { width: 100%; border-collapse: collapse; background: #fff; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid var(--border); }
ul.scopes li { margin-bottom: 0.35rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
`;
