// Store helpers shared by the bench scripts. `addFeedSource` and `readRuns` run inside an extension page
// (page.evaluate serialises them, so they are self-contained: no imports, no module scope); `runOnce` drives the page.
import type { Page } from 'playwright-core';

/**
 * The `startTime` of performance mark `name` in `page` (ms since its navigation), read without disturbing the load it
 * times. Playwright's first evaluation in a new document (`waitForFunction`, `evaluate`) compiles a helper script on
 * the page's main thread (6–9 ms here, seen in a Chromium trace), and landing in the middle of the load it delays
 * what we measure; a user's browser runs no such script. So: leave the page alone for `settleMs`, then read (still
 * waiting, should the mark come later than that).
 */
export async function readMark(page: Page, name: string, settleMs = 1500): Promise<number> {
  await new Promise((r) => setTimeout(r, settleMs));
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, name, { timeout: 60_000 });
  return page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, name);
}

export interface BenchRun {
  status: string;
  startedAt: number;
  endedAt?: number;
  sources: { sourceId: string; stored: number; fetched: number; duplicates: number; pages: number }[];
}

/**
 * In the page: adds (or replaces) feed source `id` the way the tracking view stores one. With `only`, every other
 * source is turned off (a bench that seeds from several servers in turn: the earlier ones are gone).
 */
export const addFeedSource = async ({ id, url, label, only }: { id: string; url: string; label?: string; only?: boolean }): Promise<void> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  await new Promise<void>((ok, fail) => {
    const tx = db.transaction('sources', 'readwrite');
    const store = tx.objectStore('sources');
    const put = (): void => {
      store.put({ id, kind: 'feed', label: label ?? id, enabled: true, config: { url, format: 'auto' }, cursor: null, createdAt: Date.now() });
    };
    if (only) {
      const all = store.getAll();
      all.onsuccess = () => {
        for (const s of all.result as { id: string; enabled: boolean }[]) store.put({ ...s, enabled: false });
        put();
      };
    } else put();
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
  });
  db.close();
};

/** In the page: turns source `id` off (its server is gone; later runs must not try it). */
export const disableSource = async (id: string): Promise<void> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  await new Promise<void>((ok, fail) => {
    const tx = db.transaction('sources', 'readwrite');
    const store = tx.objectStore('sources');
    const get = store.get(id);
    get.onsuccess = () => {
      if (get.result) store.put({ ...get.result, enabled: false });
    };
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
  });
  db.close();
};

/** In the page: the workflow's runs, oldest first (raw IndexedDB, as the e2e tests read the store). */
export const readRuns = async (): Promise<BenchRun[]> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const runs = await new Promise<BenchRun[]>((ok, fail) => {
    const q = db.transaction('runs').objectStore('runs').getAll();
    q.onsuccess = () => ok(q.result as BenchRun[]);
    q.onerror = () => fail(q.error);
  });
  db.close();
  return runs;
};

/** Clicks "Run now" on `page` (a tracking-view page) and waits for the new run to end; returns it. */
export async function runOnce(page: Page, minutes = 15): Promise<BenchRun> {
  const before = (await page.evaluate(readRuns)).length;
  await page.getByRole('button', { name: 'Run now' }).first().click();
  const deadline = Date.now() + minutes * 60_000;
  for (;;) {
    const runs = await page.evaluate(readRuns);
    const last = runs.at(-1);
    if (runs.length > before && last && last.status !== 'running') return last;
    if (Date.now() > deadline) throw new Error(`the run did not end within ${minutes} minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
