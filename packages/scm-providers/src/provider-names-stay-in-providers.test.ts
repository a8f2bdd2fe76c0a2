// "Outside a provider's folders, no code names a provider" (docs/ARCHITECTURE.md): every provider
// fact lives in packages/scm-providers/src/providers/<id>/ or apps/runner/src/providers/<id>/ and is
// read through the catalogue. This walks the apps' and contracts' sources (comments aside: they may
// give an example) and fails on any provider name, host or brand in code or text.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { scmProviders } from './scm-provider-catalogue.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const roots = ['apps/bff/src', 'apps/web/src', 'apps/runner/src', 'packages/contracts/src'];

/** Names, brands and hosts of every provider in the catalogue, plus the companies behind them. */
const names = [...new Set([...scmProviders.flatMap((p) => [p.id, p.name, p.defaultHost, p.hostExample ?? '']), 'atlassian'])].filter((name) => name !== '');
const pattern = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

/**
 * Genuinely generic, or set by the operator: the environment variable names of old that the
 * runner and BFF keep honouring (docs: README "Configuration"), not a fact about a provider.
 */
const allowed = [/\bBITBUCKET_(API_)?URL\b/g];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'providers' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The code's own text: every token and JSX text, without comments. */
function codeText(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    // `{/* a comment */}` in JSX is an expression without one.
    if (ts.isJsxExpression(node) && !node.expression) return;
    // A doc comment is a comment too.
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    if (node.getChildCount(source) === 0) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: node.getText(source) });
      return;
    }
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return out;
}

describe('provider names stay in the providers’ folders', () => {
  it('finds them where they are (the check works)', () => {
    expect('Waiting for Bitbucket…').toMatch(pattern);
    expect("'https://github.com/settings'").toMatch(pattern);
    expect('Atlassian’s API token page').toMatch(pattern);
  });

  it('no code outside providers/ names a provider', () => {
    const found: string[] = [];
    for (const root of roots) {
      for (const file of sourceFiles(path.join(repoRoot, root))) {
        for (const { line, text } of codeText(file)) {
          const rest = allowed.reduce((t, re) => t.replace(re, ''), text);
          if (pattern.test(rest)) found.push(`${path.relative(repoRoot, file)}:${line}: ${text.slice(0, 120)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
