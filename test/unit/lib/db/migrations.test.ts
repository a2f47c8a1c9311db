import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import { openDb, versions } from '../../../../lib/db/schema';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import { StoreWriter } from '../../../../lib/workflow/store-writer';
import { loadDeliveryEvents } from '../../../../lib/db/events';
import { loadRecipientEvents } from '../../../../lib/db/recipient-events';

const FIXTURES = join(__dirname, '../../../fixtures/db');
const TYPED: Record<string, (a: number[]) => ArrayLike<number>> = {
  t: (a) => Uint32Array.from(a),
  rcp: (a) => Uint32Array.from(a),
  url: (a) => Uint32Array.from(a),
  type: (a) => Uint8Array.from(a),
  ua: (a) => Uint32Array.from(a),
  person: (a) => Uint32Array.from(a),
  flags: (a) => Uint8Array.from(a),
  h: (a) => Float64Array.from(a),
  ip: (a) => Uint32Array.from(a),
  bits: (a) => Uint32Array.from(a),
  counts: (a) => Uint32Array.from(a),
  deliveryId: (a) => Uint32Array.from(a),
};

interface Fixture {
  version: number;
  [table: string]: unknown;
}

/** Writes a fixture into a database declared with exactly the schema of its version (no later upgrades). */
async function seed(name: string, fixture: Fixture): Promise<void> {
  const old = new Dexie(name);
  for (const v of versions.filter((x) => x.version <= fixture.version)) old.version(v.version).stores(v.stores);
  await old.open();
  for (const [table, rows] of Object.entries(fixture)) {
    if (!Array.isArray(rows)) continue;
    const restored = rows.map((row: Record<string, unknown>) =>
      table === 'segments' || table === 'rcpFilters' || table === 'heavyEvents' || table === 'rcpCounts'
        ? Object.fromEntries(Object.entries(row).map(([k, v]) => [k, TYPED[k] && Array.isArray(v) ? TYPED[k](v as number[]) : v]))
        : row,
    );
    await old.table(table).bulkAdd(restored);
  }
  old.close();
}

describe('schema versions', () => {
  it('has a fixture for every version', () => {
    const have = readdirSync(FIXTURES).map((f) => Number(/^v(\d+)\.json$/.exec(f)?.[1]));
    expect(have.sort()).toEqual(versions.map((v) => v.version));
  });

  for (const { version } of versions) {
    it(`opens a version ${version} store with the current code, with nothing lost`, async () => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, `v${version}.json`), 'utf8')) as Fixture;
      const name = `migration-v${version}-${Date.now()}`;
      await seed(name, fixture);
      const db = openDb(name);
      expect(await db.sources.get('sample')).toMatchObject({ cursor: '120' });
      expect(await db.deliveries.count()).toBe(1);
      expect(await dictionaryKeys(db, 'recipients')).toEqual(['', 'anna@example.se', 'bo@example.se']);
      // Version 2: every segment has its recipient filter (built by the upgrade from version 1), and the segments
      // of version 1 read with no IP (0) for every event.
      expect(await db.rcpFilters.count()).toBe(await db.segments.count());
      const bo = await loadRecipientEvents(db, 2);
      expect(Array.from(bo.t)).toEqual([1790000100, 1790000300]);
      expect(Array.from(bo.delivery)).toEqual([1, 1]);
      // Version 3's fixture has bo as a heavy recipient (lib/db/heavy.ts): their events come from the heavy rows.
      expect(bo.stats.segmentsRead).toBe(version >= 3 ? 0 : 1);
      expect(bo.stats.heavyRows).toBe(version >= 3 ? 1 : 0);
      expect(Array.from(bo.ip)).toEqual(version >= 2 ? [0, 1] : [0, 0]);
      expect((await loadRecipientEvents(db, 99)).n).toBe(0);
      expect(Array.from((await loadDeliveryEvents(db, 1)).ip)).toEqual(version >= 2 ? [0, 0, 1] : [0, 0, 0]);
      // The aggregates are rebuilt from the stored segments when the workflow next touches the delivery.
      const writer = new StoreWriter(db);
      await writer.commitPage(
        (await db.sources.get('sample'))!,
        {
          records: { deliveries: [], urls: [], events: [{ id: 'new', deliveryExtId: 'D1', recipient: 'cy@example.se', type: 2, time: 1_790_001_000_000, ip: '198.51.100.9' }] },
          rejected: [],
          rejectedCount: 0,
          nextCursor: '121',
          done: true,
          fetched: 1,
        },
        () => ({ trigger: 'manual', startedAt: 0, heartbeat: 0, status: 'running', sources: [], log: [], rejectedSamples: [] }),
      );
      await writer.finish();
      const totals = (await db.totals.get(1))!.totals;
      expect(totals).toMatchObject({ events: 4, recipientOpen: 3, totalRecipientOpen: 3, recipientClick: 1, totalRecipientClick: 1 });
      // The new event's IP is interned and stored; its segment got a filter in the same transaction.
      const ips = await dictionaryKeys(db, 'ips');
      expect(ips).toContain('198.51.100.9');
      const cy = await loadRecipientEvents(db, 3);
      expect(cy.n).toBe(1);
      expect(ips[cy.ip[0]!]).toBe('198.51.100.9');
      expect(await db.rcpFilters.count()).toBe(await db.segments.count());
      // Version 4: a kept sanitised email stays until its next view replaces it.
      expect(await db.safeEmails.count()).toBe(version >= 4 ? 1 : 0);
      db.close();
    });
  }
});
