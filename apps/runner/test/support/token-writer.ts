// A process that saves tokens as fast as it can and prints each number once save() returned: the
// crash test kills it with SIGKILL and checks that every printed token survived.
import { createTokenCipher } from '../../src/tokens/token-cipher.ts';
import { createTokenStore } from '../../src/tokens/token-store.ts';

const dir = process.argv[2]!;
const store = createTokenStore(dir, createTokenCipher(dir));
for (let i = 0; ; i++) {
  store.save({
    userId: `user-${i % 50}`,
    host: 'bitbucket.org',
    integrationId: `int-${i}`,
    clientId: 'key',
    accountName: `User ${i}`,
    accountUsername: null,
    accountUuid: null,
    email: null,
    scopes: ['repository'],
    accessToken: `access-${i}`,
    refreshToken: `refresh-${i}`,
    expiresAt: null,
  });
  process.stdout.write(`${i}\n`);
}
