import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../scripts/postgres-cluster.mjs';
import { freePort } from './free-port.ts';
import './postgres-database.ts';

/**
 * vitest globalSetup of the PostgreSQL projects: one throwaway cluster per test run (initdb is the
 * costly part), in a temporary folder, on a free loopback port. Test files create a database each
 * (test-support/postgres-database.ts), so they share nothing but the server.
 */
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-pg-'));
  const cluster = startPostgresCluster({ dir, port: await freePort(), fast: true });
  project.provide('postgresAdminUrl', cluster.url);
  return () => {
    try {
      cluster.stop('immediate');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
