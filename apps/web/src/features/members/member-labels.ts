import type { Role, SignInMethod } from '@runner-console/contracts';

export const roleLabel = (role: Role) => (role === 'admin' ? 'Admin' : 'Member');
export const signInMethodLabel = (method: SignInMethod) =>
  method === 'sso' ? 'Single sign-on' : 'Password';
