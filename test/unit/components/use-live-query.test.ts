import Dexie, { liveQuery, type Table } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { spacedQuery } from '../../../components/use-live-query';

class Db extends Dexie {
  items!: Table<{ id: number; v: number }, number>;
  other!: Table<{ id: number }, number>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ items: 'id', other: 'id' });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let db: Db | undefined;
afterEach(async () => {
  if (db) await db.delete();
  db = undefined;
});

describe('spacedQuery under liveQuery', () => {
  it('re-runs at most once per interval under a burst of writes, and ends on the final state', async () => {
    db = new Db(`spaced-${Math.random()}`);
    await db.items.put({ id: 1, v: 0 });
    let runs = 0;
    const seen: number[] = [];
    const sub = liveQuery(
      spacedQuery(async () => {
        runs++;
        return (await db!.items.get(1))!.v;
      }, 150),
    ).subscribe({ next: (v) => seen.push(v) });
    await sleep(50);
    expect(seen).toEqual([0]);
    // 20 writes 15 ms apart (300 ms): unspaced, that is ~20 runs.
    for (let i = 1; i <= 20; i++) {
      await db.items.put({ id: 1, v: i });
      await sleep(15);
    }
    await sleep(400);
    sub.unsubscribe();
    expect(seen.at(-1)).toBe(20);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
  });

  it('still watches what a run read after waiting, and answers a change after a quiet interval at once', async () => {
    db = new Db(`spaced-${Math.random()}`);
    await db.items.put({ id: 1, v: 0 });
    const seen: { v: number; at: number }[] = [];
    const sub = liveQuery(spacedQuery(async () => (await db!.items.get(1))!.v, 150)).subscribe({
      next: (v) => seen.push({ v, at: performance.now() }),
    });
    await sleep(30);
    await db.items.put({ id: 1, v: 1 }); // within the interval: waits, then reads (and watches) again
    await sleep(250);
    expect(seen.map((s) => s.v)).toEqual([0, 1]);
    // A write to a table the query never read does not re-run it.
    await db.other.put({ id: 1 });
    await sleep(200);
    expect(seen).toHaveLength(2);
    // Quiet for longer than the interval: the next change shows without waiting.
    const t = performance.now();
    await db.items.put({ id: 1, v: 2 });
    await sleep(60);
    sub.unsubscribe();
    expect(seen.map((s) => s.v)).toEqual([0, 1, 2]);
    expect(seen[2]!.at - t).toBeLessThan(60);
  });
});
