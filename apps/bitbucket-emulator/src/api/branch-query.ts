import type { Request } from 'express';
import type { BranchHead } from '@runner-console/emulator-kit';

export class BranchQueryError extends Error {
  override name = 'BranchQueryError';
}

type BranchOrder = (a: BranchHead, b: BranchHead) => number;

const byName: BranchOrder = (a, b) => compareText(a.name, b.name);

const ORDERS: Readonly<Record<string, BranchOrder>> = {
  name: byName,
  '-name': (a, b) => compareText(b.name, a.name),
  'target.date': (a, b) => compareText(a.commit.date, b.commit.date),
  '-target.date': (a, b) => compareText(b.commit.date, a.commit.date),
};

/**
 * The subset of Bitbucket's filtering and sorting (`q`, `sort`) the emulator understands for
 * branches: `name = "…"`, `name != "…"`, `name ~ "…"` (contains, case-insensitive), and sorting
 * by `name` or `target.date`. Without `sort`, branches come by name (inferred).
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#filtering
 */
export function filterAndSortBranches(req: Request, branches: readonly BranchHead[]): BranchHead[] {
  const matches = readNameFilter(req.query.q);
  const order = readOrder(req.query.sort);
  return branches.filter((branch) => matches(branch.name)).sort(order);
}

function readNameFilter(q: unknown): (name: string) => boolean {
  if (q === undefined || q === '') return () => true;
  const match =
    typeof q === 'string' ? /^\s*name\s*(=|!=|~)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(q) : null;
  if (!match)
    throw new BranchQueryError(
      'Invalid query: only name = "…", name != "…" and name ~ "…" are supported.',
    );
  const [, operator, quoted = ''] = match;
  const value = quoted.replace(/\\(.)/g, '$1');
  if (operator === '=') return (name) => name === value;
  if (operator === '!=') return (name) => name !== value;
  return (name) => name.toLowerCase().includes(value.toLowerCase());
}

function readOrder(sort: unknown): BranchOrder {
  if (sort === undefined) return byName;
  const order = typeof sort === 'string' ? ORDERS[sort] : undefined;
  if (!order)
    throw new BranchQueryError('Invalid sort: use name, -name, target.date or -target.date.');
  return order;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
