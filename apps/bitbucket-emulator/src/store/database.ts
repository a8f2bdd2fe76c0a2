import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Schema versions, applied in order. A database records the last one it has with
 * `PRAGMA user_version`, so a restart applies only what is new.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL UNIQUE,
    created_on TEXT NOT NULL
  );

  CREATE TABLE workspaces (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    created_on TEXT NOT NULL
  );

  CREATE TABLE workspace_members (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'collaborator')),
    PRIMARY KEY (workspace_id, user_id)
  );

  CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    is_private INTEGER NOT NULL,
    mainbranch TEXT NOT NULL,
    language TEXT NOT NULL,
    project_key TEXT NOT NULL,
    project_name TEXT NOT NULL,
    project_uuid TEXT NOT NULL,
    created_on TEXT NOT NULL,
    UNIQUE (workspace_id, slug)
  );

  CREATE TABLE pull_requests (
    id INTEGER PRIMARY KEY,
    repository_id INTEGER NOT NULL REFERENCES repositories(id),
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED')),
    author_user_id INTEGER NOT NULL REFERENCES users(id),
    source_branch TEXT NOT NULL,
    destination_branch TEXT NOT NULL,
    created_on TEXT NOT NULL,
    updated_on TEXT NOT NULL,
    UNIQUE (repository_id, number)
  );

  CREATE TABLE consumers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id),
    created_by_user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    callback_url TEXT,
    url TEXT,
    is_private INTEGER NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    consumer_id INTEGER NOT NULL REFERENCES consumers(id),
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX grants_by_user_consumer ON grants (user_id, consumer_id);

  CREATE TABLE authorization_codes (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    consumer_id INTEGER NOT NULL REFERENCES consumers(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    grant_id INTEGER NOT NULL REFERENCES grants(id),
    redirect_uri TEXT,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );

  CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    consumer_id INTEGER NOT NULL REFERENCES consumers(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    grant_id INTEGER REFERENCES grants(id),
    code_id INTEGER REFERENCES authorization_codes(id),
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );

  CREATE TABLE access_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    consumer_id INTEGER NOT NULL REFERENCES consumers(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    grant_id INTEGER REFERENCES grants(id),
    code_id INTEGER REFERENCES authorization_codes(id),
    refresh_token_id INTEGER REFERENCES refresh_tokens(id),
    grant_type TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // Refresh tokens rotate (since May 2026): each use replaces the token, and one unused for
  // 3 months expires. `replaced_at` marks a token that was used; `expires_at` its idle deadline.
  `
  ALTER TABLE refresh_tokens ADD COLUMN replaced_at INTEGER;
  ALTER TABLE refresh_tokens ADD COLUMN expires_at INTEGER;
  `,
];

/** Opens (or creates) the emulator's SQLite database and brings its schema up to date. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db);
  return db;
}

function applyMigrations(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.slice(current).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    })();
  });
}
