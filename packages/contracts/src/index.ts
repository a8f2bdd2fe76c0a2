export * from './errors.ts';
export * from './auth.ts';
export * from './runners.ts';
export * from './runner-link.ts';
export * from './scm-integrations.ts';
export * from './connect.ts';
export * from './environments.ts';
export * from './api-routes.ts';
