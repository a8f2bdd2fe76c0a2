import type { Logger } from 'pino';
import type { Clock } from '@runner-console/emulator-kit';
import type { GitReader } from '@runner-console/emulator-kit';
import type { ApiTokenStore } from './store/api-token-store.ts';
import type { ConsumerStore } from './store/consumer-store.ts';
import type { OAuthStore } from './store/oauth-store.ts';
import type { RepositoryStore } from './store/repository-store.ts';
import type { UserStore } from './store/user-store.ts';
import type { CallStats } from './test-api/call-stats.ts';
import type { FaultInjector } from '@runner-console/emulator-kit';
import type { BrowserSessions } from './ui/browser-sessions.ts';
import type { TokenIssuer } from './oauth/token-issuer.ts';

/** Everything the routers share; built once in app.ts. */
export interface EmulatorContext {
  /** Origin for links, clone URLs and redirects, without a trailing slash. */
  publicUrl: string;
  /** Folder that holds the bare repositories as `{workspace}/{repo}.git`. */
  reposRoot: string;
  clock: Clock;
  logger: Logger;
  users: UserStore;
  repositories: RepositoryStore;
  consumers: ConsumerStore;
  apiTokens: ApiTokenStore;
  oauth: OAuthStore;
  tokens: TokenIssuer;
  sessions: BrowserSessions;
  git: GitReader;
  faults: FaultInjector;
  stats: CallStats;
}
