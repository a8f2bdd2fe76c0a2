import fs from 'node:fs';
import path from 'node:path';

/** One stored token as it sits on disk: its tokens are ciphertexts (see token-cipher.ts). */
export interface TokenRow {
  id: string;
  /** 'oauth' or 'api_token'; absent in lines written before API tokens (read as 'oauth'). */
  kind?: string;
  /** API tokens: the Atlassian account e-mail for the REST API's Basic auth. */
  login_email?: string | null;
  user_id: string;
  host: string;
  integration_id: string;
  client_id: string;
  account_name: string;
  account_username: string | null;
  account_uuid: string | null;
  email: string | null;
  scopes: string;
  access_ct: string;
  refresh_ct: string | null;
  expires_at: string | null;
  needs_reauth: number;
  reauth_reason: string | null;
  /** When a refresh began and was not stored yet (see TokenStore.beginRefresh); absent in older lines. */
  refresh_started_at?: string | null;
  /** When the token was last handed to a use, to the minute (see TokenStore.markUsed); absent in older lines. */
  last_used_at?: string | null;
  connected_at: string;
  updated_at: string;
}

export type JournalRecord = { put: TokenRow } | { del: string };

/**
 * The runner's durable token table, in plain JavaScript so the runner ships as one file that runs on
 * bare `node` (no native module such as better-sqlite3, and Node 20 has no node:sqlite).
 *
 * The file is an append-only journal of JSON lines (`{"put":row}` or `{"del":id}`), file mode 0600:
 * - every change is one write(2) of whole lines before the call returns, so a process crash (kill -9,
 *   an uncaught error) loses nothing acknowledged, and a write costs the same with 10 or 100,000
 *   tokens. fdatasync follows on libuv's thread pool, coalesced, so a slow disk never stalls the event
 *   loop (it did: up to 70 ms per sync on a busy machine); a power cut may lose the last moments,
 *   which costs a user one Connect, as SQLite's synchronous=NORMAL did before;
 * - a crash in the middle of a write leaves at most a torn last line, which is dropped on open
 *   (it was never acknowledged);
 * - when dead lines outnumber live rows the journal is compacted: the live rows are written to a
 *   temporary file, fsynced, renamed over the journal and the folder fsynced, so a crash leaves
 *   either the old or the new file, never half of one.
 * The whole table lives in memory (indexed by id and by user+integration); reads never touch disk
 * beyond one stat that picks up lines another process appended (a seeding script).
 */
export function openTokenJournal(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const rows = new Map<string, TokenRow>();
  const byKey = new Map<string, string>();
  const byUser = new Map<string, Set<string>>();
  let fd = -1;
  let ino = 0;
  let offset = 0;
  let lines = 0;

  const keyOf = (r: { user_id: string; integration_id: string }) => `${r.user_id}\u0000${r.integration_id}`;

  function index(row: TokenRow) {
    byKey.set(keyOf(row), row.id);
    let ids = byUser.get(row.user_id);
    if (!ids) byUser.set(row.user_id, (ids = new Set()));
    ids.add(row.id);
  }
  function unindex(row: TokenRow) {
    if (byKey.get(keyOf(row)) === row.id) byKey.delete(keyOf(row));
    const ids = byUser.get(row.user_id);
    ids?.delete(row.id);
    if (ids?.size === 0) byUser.delete(row.user_id);
  }

  function apply(record: JournalRecord) {
    if ('put' in record) {
      const row = record.put;
      // One row per user and integration: a put for the same pair under another id replaces it.
      const sameKey = byKey.get(keyOf(row));
      for (const id of [sameKey, row.id]) {
        const old = id === undefined ? undefined : rows.get(id);
        if (old) {
          unindex(old);
          rows.delete(old.id);
        }
      }
      rows.set(row.id, row);
      index(row);
    } else {
      const row = rows.get(record.del);
      if (!row) return;
      unindex(row);
      rows.delete(row.id);
    }
  }

  /** Applies every complete line of buf; returns how many bytes that was (a torn tail is left). */
  function replay(buf: Buffer, at: number): number {
    let consumed = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, consumed);
      if (nl < 0) return consumed;
      const text = buf.subarray(consumed, nl).toString('utf8');
      if (text.trim()) {
        let record: JournalRecord;
        try {
          record = JSON.parse(text) as JournalRecord;
        } catch {
          throw new Error(`${file} is damaged at byte ${at + consumed}. Restore it from a backup, or move it away (users then connect again).`);
        }
        apply(record);
        lines++;
      }
      consumed = nl + 1;
    }
  }

  function load() {
    rows.clear();
    byKey.clear();
    byUser.clear();
    lines = 0;
    if (fd >= 0) fs.closeSync(fd);
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
    fs.fchmodSync(fd, 0o600);
    const buf = fs.readFileSync(fd);
    offset = replay(buf, 0);
    if (offset < buf.length) {
      // A torn last line from a crash mid-write: it was never acknowledged, so drop it.
      fs.ftruncateSync(fd, offset);
      fs.fdatasyncSync(fd);
    }
    ino = fs.fstatSync(fd).ino;
  }

  let syncing = false;
  let syncAgain = false;
  function syncSoon() {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = true;
    fs.fdatasync(fd, () => {
      // An error here (the descriptor was closed by a compaction or close()) is harmless: those
      // fsync what they wrote themselves.
      syncing = false;
      if (syncAgain && fd >= 0) {
        syncAgain = false;
        syncSoon();
      }
    });
  }

  function writeDurably(text: string) {
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    offset += bytes.length;
    syncSoon();
  }

  function compact() {
    const tmp = `${file}.${process.pid}.tmp`;
    const out = fs.openSync(tmp, 'w', 0o600);
    try {
      let chunk = '';
      for (const row of rows.values()) {
        chunk += `${JSON.stringify({ put: row })}\n`;
        if (chunk.length > 1 << 20) {
          fs.writeSync(out, chunk);
          chunk = '';
        }
      }
      if (chunk) fs.writeSync(out, chunk);
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    fs.renameSync(tmp, file);
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
    load();
  }

  load();

  return {
    rows: rows as ReadonlyMap<string, TokenRow>,
    /** The row for a user and integration (there is at most one). */
    findByKey(userId: string, integrationId: string): TokenRow | undefined {
      const id = byKey.get(keyOf({ user_id: userId, integration_id: integrationId }));
      return id === undefined ? undefined : rows.get(id);
    },
    /** Every row of a user. */
    listByUser(userId: string): TokenRow[] {
      return [...(byUser.get(userId) ?? [])].map((id) => rows.get(id)!);
    },
    /** Picks up lines another process appended, or a journal replaced under us. */
    catchUp() {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        return;
      }
      if (stat.ino !== ino || stat.size < offset) return load();
      if (stat.size === offset) return;
      const buf = Buffer.alloc(stat.size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      offset += replay(buf, offset);
    },
    /** Writes the records as one durable append, then applies them. */
    commit(records: JournalRecord[]) {
      if (records.length === 0) return;
      this.catchUp();
      writeDurably(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      for (const r of records) apply(r);
      lines += records.length;
      if (lines > 1000 && lines > 2 * rows.size) compact();
    },
    close() {
      if (fd >= 0) {
        fs.fdatasyncSync(fd);
        fs.closeSync(fd);
      }
      fd = -1;
    },
  };
}
