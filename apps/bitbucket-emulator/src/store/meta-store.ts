import type { Db } from './database.ts';

/** Small key/value facts about the data folder itself (for example, when it was seeded). */
export class MetaStore {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    return this.db
      .prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?')
      .get(key)?.value;
  }

  set(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
  }
}
