import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway cluster's `postgres` database; each test file makes its own database. */
    postgresAdminUrl: string;
  }
}

/** Whether this test run is the PostgreSQL project (vitest.config.ts sets RC_TEST_DATABASE). */
export const onPostgres = process.env.RC_TEST_DATABASE === 'postgres';

/**
 * A fresh, empty database in the run's throwaway cluster: its URL, and drop() to remove it.
 * Only in the PostgreSQL projects (their globalSetup starts the cluster).
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `rc_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
