import { makeTempDir, postTestApi, startInProcessEmulator, type RunningEmulator } from '@runner-console/emulator-kit/testing';
import { createEmulator } from '../src/app.ts';

export { makeTempDir, postTestApi as testApi, type RunningEmulator };

/** Starts the real emulator on a random loopback port with its own data folder. */
export function startEmulator(dataDir: string = makeTempDir('gl-emulator-')): Promise<RunningEmulator> {
  return startInProcessEmulator(createEmulator, { dataDir, apiPath: '/api/v4' });
}

export async function createToken(baseUrl: string, body: Record<string, unknown>): Promise<string> {
  const { status, body: answer } = await postTestApi(baseUrl, 'personal-access-tokens', body);
  if (status !== 201) throw new Error(`token not created: ${JSON.stringify(answer)}`);
  return answer.token as string;
}
