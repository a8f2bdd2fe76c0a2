import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hashing.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
  });

  it('still verifies a hash made with earlier parameters (N=2^15, r=8, p=1)', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('old password', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const stored = `scrypt$32768$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('old password', stored)).toBe(true);
    expect(await verifyPassword('new password', stored)).toBe(false);
  });

  it('refuses stored hashes with unusable parameters instead of running them', async () => {
    const good = await hashPassword('pw');
    const [, , , , salt, key] = good.split('$');
    for (const [n, r, p] of [['3000', '8', '5'], ['1048576', '8', '1'], ['16384', '0', '5'], ['16384', '8', '99'], ['x', '8', '5']]) {
      expect(await verifyPassword('pw', `scrypt$${n}$${r}$${p}$${salt}$${key}`)).toBe(false);
    }
    expect(await verifyPassword('pw', 'bcrypt$whatever')).toBe(false);
  });
});
