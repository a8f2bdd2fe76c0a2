import type { AuthorizationCodes, CallCounts, Clock, FaultInjector, GitReader, MemorySessions, RotatingRefreshTokens } from '@runner-console/emulator-kit';
import type { Logger } from 'pino';
import type { DataCenterState, RefreshGrant, UserGrant } from './state.ts';

/** Everything the routers share; built once in app.ts. */
export interface DataCenterContext {
  /** The site's origin: web pages, OAuth, REST (/rest/api/1.0) and git (/scm). */
  origin: string;
  reposRoot: string;
  clock: Clock;
  logger: Logger;
  state: DataCenterState;
  git: GitReader;
  faults: FaultInjector;
  counts: CallCounts;
  sessions: MemorySessions;
  codes: AuthorizationCodes<UserGrant>;
  refreshTokens: RotatingRefreshTokens<RefreshGrant>;
}
