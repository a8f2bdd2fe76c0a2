import type { AuthorizationCodes, CallCounts, Clock, FaultInjector, GitReader, MemorySessions, RotatingRefreshTokens } from '@runner-console/emulator-kit';
import type { Logger } from 'pino';
import type { TokenSigner } from './entra/token-signer.ts';
import type { EmulatorState, EntraGrant } from './state.ts';

/** Everything the routers of both emulators share; built once in app.ts. */
export interface EmulatorContext {
  /** http://localhost:8085, standing for https://dev.azure.com (and app.vssps.visualstudio.com). */
  devopsOrigin: string;
  /** http://localhost:8086, standing for https://login.microsoftonline.com. */
  entraOrigin: string;
  reposRoot: string;
  clock: Clock;
  logger: Logger;
  state: EmulatorState;
  git: GitReader;
  faults: FaultInjector;
  counts: CallCounts;
  sessions: MemorySessions;
  codes: AuthorizationCodes<EntraGrant>;
  refreshTokens: RotatingRefreshTokens<EntraGrant>;
  signer: TokenSigner;
}
