import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startBff } from './start-bff.ts';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'bff');
  // Only to print the exact start command for new runners in development (the local emulator).
  const runnerEnv: Record<string, string> = {};
  // The runner's endpoint settings: PROVIDER_ENDPOINTS, EXTRA_CA_CERTS, and the older variables the
  // runner keeps reading (its README lists them).
  for (const key of ['PROVIDER_ENDPOINTS', 'EXTRA_CA_CERTS', 'BITBUCKET_URL', 'BITBUCKET_API_URL'] as const) {
    const value = process.env[key];
    if (value) runnerEnv[key] = value;
  }
  const running = await startBff(config, log, { runnerEnv });
  // SIGTERM (an orchestrator, a rolling restart) drains; Ctrl-C stops at once.
  let stopping = false;
  const stop = (how: 'drain' | 'close') => async () => {
    if (stopping) return;
    stopping = true;
    await (how === 'drain' ? running.drain() : running.close());
    process.exit(0);
  };
  process.on('SIGINT', stop('close'));
  process.on('SIGTERM', stop('drain'));
}

main().catch((err: Error) => {
  console.error(`BFF failed to start: ${err.message}`);
  process.exit(1);
});
