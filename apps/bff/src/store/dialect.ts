import { PostgresAdapter, type Kysely } from 'kysely';

/** Which database a kysely instance talks to; migrations and stores use it where the SQL must differ. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export function dialectOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
