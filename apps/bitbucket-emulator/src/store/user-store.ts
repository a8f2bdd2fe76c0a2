import type { Db } from './database.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

export interface User {
  id: number;
  username: string;
  displayName: string;
  email: string;
  uuid: string;
  accountId: string;
  createdOn: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  email: string;
  password_hash: string;
  uuid: string;
  account_id: string;
  created_on: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  email: string;
  password: string;
  uuid: string;
  accountId: string;
  createdOn: string;
}

export class UserStore {
  constructor(private readonly db: Db) {}

  findById(id: number): User | undefined {
    const row = this.db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row && toUser(row);
  }

  findByUsername(username: string): User | undefined {
    const row = this.findRowByUsername(username);
    return row && toUser(row);
  }

  findByEmail(email: string): User | undefined {
    const row = this.db
      .prepare<[string], UserRow>('SELECT * FROM users WHERE email = ? COLLATE NOCASE')
      .get(email);
    return row && toUser(row);
  }

  /** The user whose username and password match, or undefined. */
  authenticate(username: string, password: string): User | undefined {
    const row = this.findRowByUsername(username);
    if (!row || !verifyPassword(password, row.password_hash)) return undefined;
    return toUser(row);
  }

  create({ password, ...user }: NewUser): User {
    const result = this.db
      .prepare(
        `INSERT INTO users (username, display_name, email, password_hash, uuid, account_id, created_on)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        user.username,
        user.displayName,
        user.email,
        hashPassword(password),
        user.uuid,
        user.accountId,
        user.createdOn,
      );
    return { ...user, id: Number(result.lastInsertRowid) };
  }

  private findRowByUsername(username: string): UserRow | undefined {
    return this.db
      .prepare<[string], UserRow>('SELECT * FROM users WHERE username = ? COLLATE NOCASE')
      .get(username);
  }
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    uuid: row.uuid,
    accountId: row.account_id,
    createdOn: row.created_on,
  };
}
