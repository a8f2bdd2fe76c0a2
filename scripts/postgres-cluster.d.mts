// Types for scripts/postgres-cluster.mjs, which test-support and the BFF's tests import.
export interface PostgresCluster {
  url: string;
  port: number;
  dataDir: string;
  logFile: string;
  stop(mode?: 'smart' | 'fast' | 'immediate'): void;
  restart(): void;
}
export declare function findPostgresBin(): string | undefined;
export declare function startPostgresCluster(opts: { dir: string; port: number; fast?: boolean }): PostgresCluster;
