import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { openPostgresDatabase, type Db } from '../src/store/database.ts';
import { createPostgresBus, type ClusterBus } from '../src/store/cluster-bus.ts';
import { createPostgresDatabase } from '../../../test-support/postgres-database.ts';

// The cluster bus on its own (PostgreSQL project only): two instances' buses on one database.
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let db: Db;
let one: ClusterBus, two: ClusterBus;
const log = createLogger('silent', 'bff');

beforeAll(async () => {
  database = await createPostgresDatabase();
  db = await openPostgresDatabase(database.url);
  one = await createPostgresBus(db, database.url, log);
  two = await createPostgresBus(db, database.url, log);
});
afterAll(async () => {
  await one?.close();
  await two?.close();
  await db?.destroy();
  await database?.drop();
});

function received(bus: ClusterBus, topic: string) {
  const bodies: unknown[] = [];
  bus.subscribe(topic, (body) => void bodies.push(body));
  return bodies;
}

async function until(ok: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cluster bus (LISTEN/NOTIFY)', () => {
  it('delivers to the other instances, in order, and not back to the sender', async () => {
    const atTwo = received(two, 'order');
    const atOne = received(one, 'order');
    for (let i = 0; i < 20; i++) one.publish('order', i);
    await until(() => atTwo.length === 20);
    expect(atTwo).toEqual([...Array(20).keys()]);
    await new Promise((r) => setTimeout(r, 200));
    expect(atOne).toEqual([]);
  });

  it('carries a body larger than NOTIFY’s 8000-byte payload through cluster_messages', async () => {
    const atTwo = received(two, 'large');
    const body = { sealed: 'x'.repeat(50_000), n: 1 };
    one.publish('large', body);
    await until(() => atTwo.length === 1);
    expect(atTwo[0]).toEqual(body);
    const rows = await db.selectFrom('cluster_messages').select('id').execute();
    expect(rows.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps topics apart', async () => {
    const a = received(two, 'topic-a');
    const b = received(two, 'topic-b');
    one.publish('topic-b', 'for b');
    await until(() => b.length === 1);
    expect(a).toEqual([]);
  });
});
