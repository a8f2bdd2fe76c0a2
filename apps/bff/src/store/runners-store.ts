import { randomUUID } from 'node:crypto';
import { showForbiddenCharacters, type ProviderSite, type Runner, type RunnerPhase, type RunnerPublicJwk } from '@runner-console/contracts';
import type { Db } from './database.ts';
import type { RunnersTable } from './schema.ts';
import type { ClusterBus } from './cluster-bus.ts';

export function toRunner(row: RunnersTable): Runner {
  return {
    id: row.id,
    // A name stored before control and direction characters were refused is shown with them escaped.
    name: showForbiddenCharacters(row.name),
    kind: row.kind,
    phase: row.phase,
    version: row.version,
    region: row.region,
    publicUrl: row.public_url,
    pinnedPublicUrl: row.pinned_public_url,
    publicKey: row.public_key_jwk ? (JSON.parse(row.public_key_jwk) as RunnerPublicJwk) : null,
    pendingKey: row.pending_public_key_jwk ? { kid: kidOf(row.pending_public_key_jwk), presentedAt: row.pending_key_at ?? row.created_at } : null,
    providerSites: row.provider_sites_json ? (JSON.parse(row.provider_sites_json) as ProviderSite[]) : [],
    lastSeenAt: row.last_seen_at,
    createdAt: row.created_at,
  };
}

function kidOf(jwkJson: string): string {
  return (JSON.parse(jwkJson) as RunnerPublicJwk).kid;
}

/** What a hello's key means for the runner's pinned key (see `checkHelloKey`). */
export type HelloKeyCheck =
  | { outcome: 'pinned' }
  | { outcome: 'matches' }
  | { outcome: 'differs'; pinnedKid: string; newlyPending: boolean };

/** How many runner rows the store keeps before it starts over. */
const ROWS_MAX = 10_000;

const cacheTopic = 'cache.runners';

export function createRunnersStore(db: Db, bus?: ClusterBus) {
  // findInOrg runs before nearly every runner-scoped API call. Its rows are kept until a write
  // changes them: each write below names its runner (or all of them, at start). With several
  // instances, each write is also sent over the cluster bus (the ids of one event-loop turn in one
  // message), and a write on another instance drops the row here. A read counts writes before it
  // queries and keeps its row only if none happened meanwhile. Rows are frozen: callers map them,
  // never change them.
  let writes = 0;
  const rows = new Map<string, Readonly<RunnersTable>>();
  function drop(runnerIds: readonly string[] | null) {
    writes++;
    if (runnerIds === null) rows.clear();
    else for (const id of runnerIds) rows.delete(id);
  }
  let outgoing: Set<string> | null | undefined;
  function announce(runnerId: string | null) {
    if (!bus?.clustered) return;
    if (outgoing === undefined) {
      outgoing = new Set();
      setImmediate(() => {
        const ids = outgoing;
        outgoing = undefined;
        bus.publish(cacheTopic, ids === null ? null : [...ids!]);
      });
    }
    if (runnerId === null) outgoing = null;
    else outgoing?.add(runnerId);
  }
  bus?.subscribe(cacheTopic, (body) => drop(body as string[] | null));
  bus?.onResync(() => drop(null));
  async function write<T>(runnerId: string | null, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      drop(runnerId === null ? null : [runnerId]);
      announce(runnerId);
    }
  }
  return {
    async listByOrg(orgId: string): Promise<RunnersTable[]> {
      return db.selectFrom('runners').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('name').execute();
    },
    /** One page in (created_at, name) order, limit + 1 rows; names are unique in an org. */
    async listPageByOrg(orgId: string, limit: number, after?: readonly [createdAt: string, name: string]): Promise<RunnersTable[]> {
      let query = db.selectFrom('runners').selectAll().where('org_id', '=', orgId);
      if (after) {
        const [createdAt, name] = after;
        query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('name', '>', name)])]));
      }
      return query.orderBy('created_at').orderBy('name').limit(limit + 1).execute();
    },
    /** Whether the runner belongs to the org, for answers that need nothing else of it (from findInOrg's rows). */
    async isInOrg(orgId: string, runnerId: string): Promise<boolean> {
      return (await this.findInOrg(orgId, runnerId)) !== undefined;
    },
    async findInOrg(orgId: string, runnerId: string): Promise<RunnersTable | undefined> {
      let row = rows.get(runnerId);
      if (!row) {
        const readAt = writes;
        row = await db.selectFrom('runners').selectAll().where('id', '=', runnerId).executeTakeFirst();
        if (row && writes === readAt) {
          if (rows.size >= ROWS_MAX) rows.clear();
          rows.set(runnerId, Object.freeze(row));
        }
      }
      return row?.org_id === orgId ? row : undefined;
    },
    async findById(runnerId: string): Promise<RunnersTable | undefined> {
      return db.selectFrom('runners').selectAll().where('id', '=', runnerId).executeTakeFirst();
    },
    async findByTokenHash(tokenHash: string): Promise<RunnersTable | undefined> {
      return db.selectFrom('runners').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    async findByName(orgId: string, name: string): Promise<RunnersTable | undefined> {
      return db.selectFrom('runners').selectAll().where('org_id', '=', orgId).where('name', '=', name).executeTakeFirst();
    },
    async insert(row: RunnersTable): Promise<void> {
      await write(row.id, () => db.insertInto('runners').values(row).execute());
    },
    async setPublicKey(runnerId: string, publicKey: RunnerPublicJwk): Promise<RunnersTable | undefined> {
      await write(runnerId, () => db.updateTable('runners').set({ public_key_jwk: JSON.stringify(publicKey) }).where('id', '=', runnerId).execute());
      return this.findById(runnerId);
    },
    /**
     * The key a hello presents, against the runner's pinned key: the first one is pinned (a
     * conditional update, so of two first hellos on two instances one wins and the other compares);
     * the same key matches; another key is refused and kept as the pending key, with `newlyPending`
     * true when it was not already the pending one.
     */
    async checkHelloKey(runnerId: string, publicKey: RunnerPublicJwk, at: string): Promise<HelloKeyCheck> {
      const pinned = await write(runnerId, () =>
        db.updateTable('runners').set({ public_key_jwk: JSON.stringify(publicKey) }).where('id', '=', runnerId).where('public_key_jwk', 'is', null).executeTakeFirst(),
      );
      if (Number(pinned.numUpdatedRows) === 1) return { outcome: 'pinned' };
      const row = await this.findById(runnerId);
      const pinnedKid = row?.public_key_jwk ? kidOf(row.public_key_jwk) : null;
      if (!row || pinnedKid === null) throw new Error('runner row or its pinned key vanished during the hello');
      if (pinnedKid === publicKey.kid) return { outcome: 'matches' };
      const newlyPending = !row.pending_public_key_jwk || kidOf(row.pending_public_key_jwk) !== publicKey.kid;
      await write(runnerId, () =>
        db.updateTable('runners').set({ pending_public_key_jwk: JSON.stringify(publicKey), pending_key_at: at }).where('id', '=', runnerId).execute(),
      );
      return { outcome: 'differs', pinnedKid, newlyPending };
    },
    /**
     * The pending key becomes the pinned one, if it is still the one with `kid` (another hello may
     * have replaced it meanwhile). Returns the updated row, or undefined when nothing changed.
     */
    async acceptPendingKey(runnerId: string, kid: string): Promise<RunnersTable | undefined> {
      const row = await this.findById(runnerId);
      const pending = row?.pending_public_key_jwk;
      if (!pending || kidOf(pending) !== kid) return undefined;
      const result = await write(runnerId, () =>
        db
          .updateTable('runners')
          .set({ public_key_jwk: pending, pending_public_key_jwk: null, pending_key_at: null })
          .where('id', '=', runnerId)
          .where('pending_public_key_jwk', '=', pending)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1 ? this.findById(runnerId) : undefined;
    },
    async clearPendingKey(runnerId: string): Promise<void> {
      await write(runnerId, () => db.updateTable('runners').set({ pending_public_key_jwk: null, pending_key_at: null }).where('id', '=', runnerId).execute());
    },
    async setTokenHash(runnerId: string, tokenHash: string): Promise<void> {
      await write(runnerId, () => db.updateTable('runners').set({ token_hash: tokenHash }).where('id', '=', runnerId).execute());
    },
    async recordHello(
      runnerId: string,
      hello: { version: string; region: string | null; publicUrl: string; publicKey: RunnerPublicJwk; providerSites?: ProviderSite[] },
      at: string,
      linkInstance: string | null = null,
    ): Promise<RunnersTable | undefined> {
      await write(runnerId, () =>
        db
          .updateTable('runners')
          .set({
            link_instance: linkInstance,
            phase: 'active',
            version: hello.version,
            region: hello.region,
            public_url: hello.publicUrl,
            provider_sites_json: JSON.stringify(hello.providerSites ?? []),
            // Set-up without a public URL pins the first one the runner reports.
            pinned_public_url: (eb) => eb.fn.coalesce('pinned_public_url', eb.val(hello.publicUrl)),
            // The key is not written here: it was pinned (or matched) by checkHelloKey first.
            last_seen_at: at,
          })
          .where('id', '=', runnerId)
          .execute(),
      );
      return this.findById(runnerId);
    },
    async update(runnerId: string, patch: { name?: string; pinned_public_url?: string }): Promise<RunnersTable | undefined> {
      await write(runnerId, () => db.updateTable('runners').set(patch).where('id', '=', runnerId).execute());
      return this.findById(runnerId);
    },
    /** Deletes the runner; its integrations, Connect flows and environments go with it (ON DELETE CASCADE). */
    /**
     * The one delete of a runner that goes ahead (two clicks, or two instances, race here): its token
     * stops working at once, and a second claim finds it taken.
     */
    async claimForDeletion(runnerId: string): Promise<boolean> {
      const result = await write(runnerId, () =>
        db
          .updateTable('runners')
          .set({ token_hash: `deleting:${randomUUID()}` })
          .where('id', '=', runnerId)
          .where((eb) => eb.or([eb('token_hash', 'is', null), eb('token_hash', 'not like', 'deleting:%')]))
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    async remove(runnerId: string): Promise<boolean> {
      const result = await write(runnerId, () => db.deleteFrom('runners').where('id', '=', runnerId).executeTakeFirst());
      return Number(result.numDeletedRows) === 1;
    },
    async countEnvironments(runnerId: string): Promise<number> {
      const row = await db.selectFrom('environments').select((eb) => eb.fn.countAll<string | number>().as('n')).where('runner_id', '=', runnerId).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** The public URLs pinned by the org's runners, so a suggestion does not hand out one twice. */
    async pinnedPublicUrls(): Promise<string[]> {
      const rows = await db.selectFrom('runners').select('pinned_public_url').where('pinned_public_url', 'is not', null).execute();
      return rows.map((r) => r.pinned_public_url!);
    },
    async setPhase(runnerId: string, phase: RunnerPhase, lastSeenAt?: string): Promise<RunnersTable | undefined> {
      await write(runnerId, () =>
        db
          .updateTable('runners')
          .set(lastSeenAt ? { phase, last_seen_at: lastSeenAt } : { phase })
          .where('id', '=', runnerId)
          .execute(),
      );
      return this.findById(runnerId);
    },
    async touch(runnerId: string, at: string): Promise<void> {
      await write(runnerId, () => db.updateTable('runners').set({ last_seen_at: at }).where('id', '=', runnerId).execute());
    },
    /** The link closed on this instance: inactive, unless the runner has meanwhile connected to another one. */
    async setInactiveIfLinkedTo(runnerId: string, linkInstance: string): Promise<RunnersTable | undefined> {
      const result = await write(runnerId, () =>
        db.updateTable('runners').set({ phase: 'inactive' }).where('id', '=', runnerId).where('link_instance', '=', linkInstance).executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1 ? this.findById(runnerId) : undefined;
    },
    /** Runners whose link is on an instance, as the database says (a cluster's view of who holds which link). */
    async listLinkOwners(): Promise<{ id: string; link_instance: string }[]> {
      const owners = await db
        .selectFrom('runners')
        .select(['id', 'link_instance'])
        .where('phase', 'in', ['active', 'degraded'])
        .where('link_instance', 'is not', null)
        .execute();
      return owners as { id: string; link_instance: string }[];
    },
    /**
     * Runners still shown connected though nobody heard from them since `cutoff` (their instance
     * died with them, or they never reconnected): inactive. Returns them.
     */
    async markSilentInactive(cutoff: string): Promise<RunnersTable[]> {
      const silent = await db.selectFrom('runners').select('id').where('phase', 'in', ['active', 'degraded']).where('last_seen_at', '<', cutoff).execute();
      const changed: RunnersTable[] = [];
      for (const { id } of silent) {
        const result = await write(id, () =>
          db.updateTable('runners').set({ phase: 'inactive' }).where('id', '=', id).where('phase', 'in', ['active', 'degraded']).where('last_seen_at', '<', cutoff).executeTakeFirst(),
        );
        const row = Number(result.numUpdatedRows) === 1 ? await this.findById(id) : undefined;
        if (row) changed.push(row);
      }
      return changed;
    },
    /** At start nobody is connected yet: whatever was active is inactive until it reconnects. */
    async markAllDisconnected(): Promise<void> {
      await write(null, () => db.updateTable('runners').set({ phase: 'inactive' }).where('phase', 'in', ['active', 'degraded']).execute());
    },
  };
}
export type RunnersStore = ReturnType<typeof createRunnersStore>;
