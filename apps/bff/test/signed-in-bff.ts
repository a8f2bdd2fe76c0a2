import { signedIn, type TestApiClient } from './api-client.ts';
import { startTestBff, type TestBff } from './test-bff.ts';

/** A test BFF for one test file, with the seeded org admin and developer signed in. */
export async function startSignedInBff(env: Record<string, string> = {}): Promise<{ bff: TestBff; admin: TestApiClient; dev: TestApiClient }> {
  const bff = await startTestBff(env);
  const [admin, dev] = await Promise.all([signedIn(bff.url, 'admin'), signedIn(bff.url, 'dev')]);
  return { bff, admin, dev };
}
