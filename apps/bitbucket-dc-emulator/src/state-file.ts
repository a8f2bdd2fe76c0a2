import { readJsonFile, writeJsonFileAtomically, type RotatingRefreshTokens } from '@runner-console/emulator-kit';
import { z } from 'zod';
import type { DataCenterState, RefreshGrant } from './state.ts';

// Application links, consents and tokens (hashes only) in `state.json`, written after every change,
// so an integration made under `npm start` survives a restart of the emulator.
const fileSchema = z.object({
  version: z.literal(1),
  links: z.array(z.object({ clientId: z.string(), clientSecretHash: z.string(), name: z.string(), redirectUrl: z.string(), scopes: z.array(z.string()) })),
  consents: z.array(z.tuple([z.number(), z.array(z.tuple([z.string(), z.array(z.string())]))])),
  tokens: z.array(
    z.tuple([
      z.string(),
      z.object({
        kind: z.enum(['oauth', 'http']),
        userId: z.number(),
        permissions: z.array(z.string()),
        clientId: z.string().nullable(),
        expiresAt: z.number().nullable(),
        revoked: z.boolean(),
        id: z.string().nullable(),
        name: z.string().nullable(),
        createdDate: z.number(),
      }),
    ]),
  ),
  refreshTokens: z.array(
    z.tuple([
      z.string(),
      z.object({
        clientId: z.string(),
        grant: z.object({ userId: z.number(), scopes: z.array(z.string()), accessTokenHash: z.string() }),
        expiresAt: z.number(),
        used: z.boolean(),
        revoked: z.boolean(),
      }),
    ]),
  ),
});

export class StateFileError extends Error {
  override name = 'StateFileError';
}

export function loadState(file: string, state: DataCenterState, refreshTokens: RotatingRefreshTokens<RefreshGrant>): void {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch {
    throw new StateFileError(`${file} is not JSON. Move it away to start with no application links or tokens.`);
  }
  if (raw === undefined) return;
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new StateFileError(`${file} is not a state file of this emulator. Move it away to start with no application links or tokens.`);
  for (const link of parsed.data.links) state.links.set(link.clientId, link);
  for (const [userId, byLink] of parsed.data.consents) state.consents.set(userId, new Map(byLink));
  state.restoreTokens(parsed.data.tokens);
  refreshTokens.restore(parsed.data.refreshTokens);
}

export function saveState(file: string, state: DataCenterState, refreshTokens: RotatingRefreshTokens<RefreshGrant>): void {
  writeJsonFileAtomically(file, {
    version: 1,
    links: [...state.links.values()],
    consents: [...state.consents].map(([userId, byLink]) => [userId, [...byLink]]),
    tokens: state.tokenEntries(),
    refreshTokens: refreshTokens.snapshot(),
  });
}
