// The emulators' state between restarts (a second `npm start` finds the admin's app registration,
// the consents, tokens and PATs where it left them): `${DATA_DIR}/azure-devops-emulator/state.json`,
// written atomically, owner-only. Token values are kept as hashes only; the signing key is kept so
// that access tokens issued before a restart still verify.
import { readJsonFile, writeJsonFileAtomically, type RotatingRefreshTokens, type StoredRefreshToken } from '@runner-console/emulator-kit';
import type { JWK } from 'jose';
import type { AppRegistration, EmulatorState, EntraGrant, PersonalAccessToken } from './state.ts';

interface StateFile {
  version: 1;
  signingKey: { kid: string; privateJwk: JWK };
  apps: AppRegistration[];
  consents: string[];
  pats: [string, PersonalAccessToken][];
  accessTokens: [string, { userId: string; expired: boolean }][];
  refreshTokens: [string, StoredRefreshToken<EntraGrant>][];
}

export class StateFileError extends Error {}

/** The saved signing key, and a function that puts the rest of the saved state in place; undefined without a file. */
export function readStateFile(file: string): { signingKey: StateFile['signingKey']; restore(state: EmulatorState, refreshTokens: RotatingRefreshTokens<EntraGrant>): void } | undefined {
  let saved: StateFile | undefined;
  try {
    saved = readJsonFile(file) as StateFile | undefined;
  } catch (error) {
    throw new StateFileError(`The Azure DevOps emulator's state file ${file} cannot be read (${(error as Error).message}). Delete it to start afresh.`);
  }
  if (saved === undefined) return undefined;
  if (saved.version !== 1) throw new StateFileError(`The Azure DevOps emulator's state file ${file} is of another version. Delete it to start afresh.`);
  return {
    signingKey: saved.signingKey,
    restore(state, refreshTokens) {
      for (const app of saved.apps) state.apps.set(app.clientId, app);
      for (const consent of saved.consents) state.consents.add(consent);
      for (const [hash, pat] of saved.pats) state.pats.set(hash, pat);
      for (const [uti, token] of saved.accessTokens) state.accessTokens.set(uti, token);
      refreshTokens.restore(saved.refreshTokens);
    },
  };
}

export function writeStateFile(file: string, signingKey: StateFile['signingKey'], state: EmulatorState, refreshTokens: RotatingRefreshTokens<EntraGrant>): void {
  const value: StateFile = {
    version: 1,
    signingKey,
    apps: [...state.apps.values()],
    consents: [...state.consents],
    pats: [...state.pats],
    accessTokens: [...state.accessTokens],
    refreshTokens: refreshTokens.snapshot(),
  };
  writeJsonFileAtomically(file, value);
}
