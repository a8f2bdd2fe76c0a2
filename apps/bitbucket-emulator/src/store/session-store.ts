import type { Db } from './database.ts';

/** A browser session: anonymous until sign-in, always with its own CSRF token. */
export interface Session {
  idHash: string;
  userId: number | null;
  csrfToken: string;
  expiresAt: number;
}

interface SessionRow {
  id_hash: string;
  user_id: number | null;
  csrf_token: string;
  expires_at: number;
}

export class SessionStore {
  constructor(private readonly db: Db) {}

  find(idHash: string, now: number): Session | undefined {
    const row = this.db
      .prepare<[string, number], SessionRow>(
        'SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?',
      )
      .get(idHash, now);
    return (
      row && {
        idHash: row.id_hash,
        userId: row.user_id,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
      }
    );
  }

  create(session: Session, now: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      this.db
        .prepare(
          'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(session.idHash, session.userId, session.csrfToken, now, session.expiresAt);
    })();
  }

  delete(idHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }
}
