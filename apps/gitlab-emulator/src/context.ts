import type { AuthorizationCodes, CallCounts, Clock, FaultInjector, GitReader, MemorySessions, RotatingRefreshTokens } from '@runner-console/emulator-kit';
import type { Logger } from 'pino';
import type { GitLabState, RefreshGrant, UserGrant } from './state.ts';

/** Everything the routers share; built once in app.ts. */
export interface GitLabContext {
  /** The web origin (OAuth, pages, git) and the REST API base (`{origin}/api/v4`). */
  origins: { web: string; api: string };
  reposRoot: string;
  clock: Clock;
  logger: Logger;
  state: GitLabState;
  git: GitReader;
  faults: FaultInjector;
  counts: CallCounts;
  sessions: MemorySessions;
  codes: AuthorizationCodes<UserGrant>;
  /** Refresh tokens, which rotate: a refresh revokes the old access and refresh token. */
  refreshTokens: RotatingRefreshTokens<RefreshGrant>;
}
