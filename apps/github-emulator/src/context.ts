import type {
  AuthorizationCodes,
  CallCounts,
  Clock,
  FaultInjector,
  GitReader,
  MemorySessions,
  RotatingRefreshTokens,
} from '@runner-console/emulator-kit';
import type { Logger } from 'pino';
import type { Origins } from './api/github-json.ts';
import type { AppRefreshGrant, GitHubState, UserGrant } from './state.ts';

/** Everything the routers share; built once in app.ts. */
export interface GitHubContext {
  /** Web and git origin, and the REST API base (`{origin}/api/v3`, as GitHub Enterprise Server). */
  origins: Origins;
  reposRoot: string;
  clock: Clock;
  logger: Logger;
  state: GitHubState;
  git: GitReader;
  faults: FaultInjector;
  counts: CallCounts;
  sessions: MemorySessions;
  codes: AuthorizationCodes<UserGrant>;
  /** GitHub App refresh tokens (`ghr_…`), which rotate on every use. */
  refreshTokens: RotatingRefreshTokens<AppRefreshGrant>;
}
