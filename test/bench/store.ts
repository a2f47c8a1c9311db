// Store helpers shared by the bench scripts. `addFeedSource` and `readRuns` run inside an extension page
// (page.evaluate serialises them, so they are self-contained: no imports, no module scope); `runOnce` drives the page.
import { existsSync, readFileSync } from 'node:fs';
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
  const clicked = Date.now();
  const deadline = clicked + minutes * 60_000;
  let reported = false;
  for (;;) {
    const runs = await page.evaluate(readRuns);
    const last = runs.at(-1);
    if (runs.length > before && last && last.status !== 'running') return last;
    if (Date.now() > deadline) throw new Error(`the run did not end within ${minutes} minutes`);
    // A run of the benches ends within a minute or two. One that does not gets its state printed once, to tell a
    // run that never started from one that hangs, while the wait goes on.
    if (!reported && Date.now() - clicked > SLOW_RUN_MS) {
      reported = true;
      console.error(`runOnce: no run ended ${Math.round((Date.now() - clicked) / 1000)} s after "Run now" was clicked`);
      console.error(await describeStall(page, runs.slice(before)).catch((e: unknown) => `(could not describe: ${String(e)})`));
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const SLOW_RUN_MS = Number(process.env.BENCH_SLOW_RUN_MS ?? 120_000);

/** What a stalled "Run now" looks like from the page: its runs, the locks, the button, and the busiest processes. */
async function describeStall(page: Page, newRuns: BenchRun[]): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const locks = await navigator.locks.query();
    const buttons = [...document.querySelectorAll('.run-now')].map((el) => el.textContent);
    return { hash: location.hash, locks, buttons };
  });
  const top = existsSync('/proc')
    ? (await import('node:child_process')).execSync('ps -eo pcpu,rss,args --sort=-pcpu | head -6 | cut -c1-160').toString()
    : '';
  return JSON.stringify({ newRuns, ...inPage }, null, 1) + '\n' + top;
}

/** The whole machine's CPU time so far, in jiffies (Linux /proc/stat); undefined elsewhere. */
export const cpuTimes = (): { busy: number; total: number } | undefined => {
  if (!existsSync('/proc/stat')) return undefined;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
};
/** Share of the machine's CPU time (all cores) that was busy between two readings, in %. */
export const busyPct = (a: ReturnType<typeof cpuTimes>, b: ReturnType<typeof cpuTimes>): number | null =>
  a && b && b.total > a.total ? Math.round((1000 * (b.busy - a.busy)) / (b.total - a.total)) / 10 : null;

/**
 * Waits until the machine is quiet: under 10 % of its CPU time busy over one second, for at most `maxMs`. After a big
 * run, the browser keeps the cores busy for a while on its own (LevelDB compacting what was just written, collections
 * of the worker's and this process's heaps); whatever is timed meanwhile measures that too. Returns the time waited
 * and the last second's busy share.
 */
export async function waitForQuiet(maxMs = 60_000): Promise<{ waitedMs: number; busy: number | null }> {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = busyPct(a, cpuTimes());
    if (busy === null || busy < 10 || Date.now() - t0 >= maxMs) return { waitedMs: Date.now() - t0, busy };
  }
}
