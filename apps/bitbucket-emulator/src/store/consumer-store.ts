import { parseScopeList, formatScopeList, type Scope } from '../oauth/scopes.ts';
import type { Db } from './database.ts';

/** An OAuth consumer (client). Its scopes are fixed when it is created, as on Bitbucket. */
export interface Consumer {
  id: number;
  key: string;
  secret: string;
  workspaceId: number;
  createdByUserId: number;
  name: string;
  description: string;
  callbackUrl: string | null;
  url: string | null;
  isPrivate: boolean;
  /** The permissions ticked on the form (not expanded). */
  scopes: Scope[];
  createdAt: number;
}

interface ConsumerRow {
  id: number;
  key: string;
  secret: string;
  workspace_id: number;
  created_by_user_id: number;
  name: string;
  description: string;
  callback_url: string | null;
  url: string | null;
  is_private: number;
  scopes: string;
  created_at: number;
}

export type NewConsumer = Omit<Consumer, 'id'>;

export class ConsumerStore {
  constructor(private readonly db: Db) {}

  findByKey(key: string): Consumer | undefined {
    const row = this.db
      .prepare<[string], ConsumerRow>('SELECT * FROM consumers WHERE key = ?')
      .get(key);
    return row && toConsumer(row);
  }

  findById(id: number): Consumer | undefined {
    const row = this.db
      .prepare<[number], ConsumerRow>('SELECT * FROM consumers WHERE id = ?')
      .get(id);
    return row && toConsumer(row);
  }

  listByWorkspace(workspaceId: number): Consumer[] {
    return this.db
      .prepare<[number], ConsumerRow>(
        'SELECT * FROM consumers WHERE workspace_id = ? ORDER BY created_at, id',
      )
      .all(workspaceId)
      .map(toConsumer);
  }

  create(consumer: NewConsumer): Consumer {
    const result = this.db
      .prepare(
        `INSERT INTO consumers (key, secret, workspace_id, created_by_user_id, name, description, callback_url, url,
           is_private, scopes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        consumer.key,
        consumer.secret,
        consumer.workspaceId,
        consumer.createdByUserId,
        consumer.name,
        consumer.description,
        consumer.callbackUrl,
        consumer.url,
        consumer.isPrivate ? 1 : 0,
        formatScopeList(consumer.scopes),
        consumer.createdAt,
      );
    return { ...consumer, id: Number(result.lastInsertRowid) };
  }
}

function toConsumer(row: ConsumerRow): Consumer {
  return {
    id: row.id,
    key: row.key,
    secret: row.secret,
    workspaceId: row.workspace_id,
    createdByUserId: row.created_by_user_id,
    name: row.name,
    description: row.description,
    callbackUrl: row.callback_url,
    url: row.url,
    isPrivate: row.is_private === 1,
    scopes: parseScopeList(row.scopes),
    createdAt: row.created_at,
  };
}
