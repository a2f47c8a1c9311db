// Benchmark: the Tracking statistics tab of a delivery with 1 000 000 events, in a store of 5 000 000
// (../shared/architecture.md "Performance targets": drawn < 150 ms). Run after `npm run build:e2e`:
//
//   sh scripts/node.sh node test/bench/stats.ts
//
// Env: STATS_BENCH_EVENTS (events of the measured delivery, default 1 000 000), STATS_BENCH_OTHER (events in other
// deliveries, default 4 000 000, fed in 1 000 000-event sources), STATS_BENCH_SAMPLES (page loads, default 7),
// STATS_BENCH_CPU_LOADS (traced loads for the main thread's CPU time, default 5).
//
// The store is filled the real way: fixture feed servers on 127.0.0.1 (test/fixtures/feed-server.ts), one feed
// source each, ingested by the workflow in the extension's service worker. Then the tab is opened in a new tab
// several times; each time we read the `tracking-logs:stats-drawn` performance mark, which the tab sets once both
// charts have drawn (entrypoints/options/routes/delivery/stats.tsx), i.e. navigation start → statistics drawn.
// The result is merged into bench-results.json under "stats". Numbers are for this machine; nothing gates on them.
// Node's type stripping runs this file: erasable TypeScript only, local imports with their `.ts` extension.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchExtension } from '../e2e/harness.ts';
import { makeDataset, startFeedServer } from '../fixtures/feed-server.ts';
import { addFeedSource, readMark, runOnce } from './store.ts';
import { cpuToMarkOfLoad, startCpuProfile, startPageTrace } from './trace.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = Number(process.env.STATS_BENCH_EVENTS ?? 1_000_000);
const OTHER = Number(process.env.STATS_BENCH_OTHER ?? 4_000_000);
const SAMPLES = Number(process.env.STATS_BENCH_SAMPLES ?? 7);
const CPU_LOADS = Number(process.env.STATS_BENCH_CPU_LOADS ?? 5);
const CHUNK = 1_000_000;
const MARK = 'tracking-logs:stats-drawn';

/** In the extension: the store's delivery id of (sourceId, extId), and the events stored in all. */
const lookup = async ({ sourceId, extId }: { sourceId: string; extId: string }): Promise<{ id: number; events: number; deliveryEvents: number }> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const all = <T,>(name: string): Promise<T[]> =>
    new Promise((ok, fail) => {
      const q = db.transaction(name).objectStore(name).getAll();
      q.onsuccess = () => ok(q.result as T[]);
      q.onerror = () => fail(q.error);
    });
  const deliveries = await all<{ id: number; sourceId: string; extId: string }>('deliveries');
  const totals = await all<{ deliveryId: number; totals: { events: number } }>('totals');
  db.close();
  const d = deliveries.find((x) => x.sourceId === sourceId && x.extId === extId);
  if (!d) throw new Error(`no delivery ${sourceId}/${extId}`);
  return {
    id: d.id,
    events: totals.reduce((n, r) => n + r.totals.events, 0),
    deliveryEvents: totals.find((r) => r.deliveryId === d.id)?.totals.events ?? 0,
  };
};

async function main(): Promise<void> {
  const ext = await launchExtension({ args: ['--js-flags=--expose-gc'] });
  const metrics: Record<string, number | number[] | null> = {};
  try {
    await ext.waitForWorker();
    const workflow = await ext.openPage('/options.html#/workflow');
    // Feeds: the measured delivery alone first, then the rest in 1 M-event sources of 10 deliveries each.
    const feeds: { id: string; events: number; deliveries: number; seed: number }[] = [
      { id: 'stats-main', events: MAIN, deliveries: 1, seed: 11 },
    ];
    for (let k = 0, left = OTHER; left > 0; k++, left -= CHUNK) {
      feeds.push({ id: `stats-other-${k + 1}`, events: Math.min(CHUNK, left), deliveries: 10, seed: 20 + k });
    }
    let ingestMs = 0;
    for (const feed of feeds) {
      const dataset = makeDataset({ deliveries: feed.deliveries, recipients: 300_000, events: feed.events, seed: feed.seed, html: false });
      const server = await startFeedServer({ dataset });
      try {
        await workflow.evaluate(addFeedSource, { id: feed.id, label: `Bench ${feed.id}`, url: server.url('/feed'), only: true });
        const run = await runOnce(workflow);
        const stored = run.sources.find((s) => s.sourceId === feed.id)?.stored ?? 0;
        if (run.status !== 'ok' || stored !== feed.events) throw new Error(`${feed.id}: run ${run.status}, stored ${stored} of ${feed.events}`);
        ingestMs += (run.endedAt ?? Date.now()) - run.startedAt;
        console.log(`${feed.id}: ${stored.toLocaleString('en-US')} events in ${((run.endedAt ?? 0) - run.startedAt).toLocaleString('en-US')} ms`);
      } finally {
        await server.close();
      }
    }
    const target = await workflow.evaluate(lookup, { sourceId: 'stats-main', extId: 'D1' });
    await workflow.close();

    // Navigation → statistics drawn, each in a fresh tab (a new page: no warm caches of the previous load).
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats`);
      samples.push(await readMark(page, MARK));
      if (process.env.STATS_BENCH_DEBUG) {
        console.log(
          await page.evaluate(() =>
            JSON.stringify({
              nav: performance.getEntriesByType('navigation').map((e) => {
                const n = e as PerformanceNavigationTiming;
                return { dcl: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) };
              }),
              paint: performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)]),
              marks: performance.getEntriesByType('mark').map((e) => [e.name, Math.round(e.startTime)]),
              res: performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), Math.round(e.startTime), Math.round(e.duration)]),
            }),
          ),
        );
      }
      const errors = ext.errorsOf(page);
      if (errors.length) throw new Error(`errors on the statistics page: ${errors.join('; ')}`);
      await page.close();
    }
    // The main thread's CPU time from navigation to the mark, over more loads, each traced (light categories; the
    // loads are not among the samples above): the page's own work, without the waits for a core that the wall time
    // above also counts (trace.ts mainThreadCpuToMark).
    const cpu: number[] = [];
    for (let i = 0; i < CPU_LOADS; i++) {
      const page = await ext.context.newPage();
      const ms = await cpuToMarkOfLoad(page, `${ext.optionsUrl}#/deliveries/${target.id}/stats`, MARK);
      if (ms !== undefined) cpu.push(ms);
      await page.close();
    }
    // STATS_BENCH_TRACE=<file>: a Chromium trace of one more load (not counted), from a blank tab's navigation to
    // the mark, for DevTools' Performance panel; STATS_BENCH_CPU_PROFILE=<file>: V8's CPU profile of such a load,
    // sampled every 100 µs.
    const { STATS_BENCH_TRACE: traceFile, STATS_BENCH_CPU_PROFILE: profileFile } = process.env;
    if (traceFile || profileFile) {
      const page = await ext.context.newPage();
      const stop = traceFile
        ? await startPageTrace(page, {
            includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading', 'navigation', 'blink.user_timing'],
          })
        : undefined;
      const stopCpuProfile = profileFile ? await startCpuProfile(page) : undefined;
      await page.goto(`${ext.optionsUrl}#/deliveries/${target.id}/stats`);
      console.log(`traced load: drawn at ${Math.round(await readMark(page, MARK))} ms`);
      if (stop) writeFileSync(traceFile!, await stop());
      if (stopCpuProfile) await stopCpuProfile(profileFile!);
      await page.close();
    }
    // Humans only (built from the delivery's events on read: every event read and classified), median of 3.
    const human: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await ext.openPage(`/options.html#/deliveries/${target.id}/stats?who=human`);
      human.push(await readMark(page, MARK));
      const errors = ext.errorsOf(page);
      if (errors.length) throw new Error(`errors on the human-only statistics page: ${errors.join('; ')}`);
      await page.close();
    }
    metrics.stats_human_drawn_ms_median = Math.round([...human].sort((a, b) => a - b)[1]!);
    const sorted = [...samples].sort((a, b) => a - b);
    metrics.stats_delivery_events = target.deliveryEvents;
    metrics.stats_store_events = target.events;
    metrics.stats_ingest_ms = ingestMs;
    metrics.stats_drawn_ms_median = Math.round(sorted[Math.floor(sorted.length / 2)]!);
    metrics.stats_drawn_ms_min = Math.round(sorted[0]!);
    metrics.stats_drawn_ms_max = Math.round(sorted.at(-1)!);
    metrics.stats_drawn_ms_samples = samples.map((s) => Math.round(s));
    const cpuSorted = [...cpu].sort((a, b) => a - b);
    metrics.stats_main_thread_cpu_ms_median = cpu.length ? Math.round(cpuSorted[Math.floor(cpu.length / 2)]!) : null;
    metrics.stats_main_thread_cpu_ms_samples = cpu.map((x) => Math.round(x));
  } finally {
    await ext.close();
  }

  console.log(`\nTracking statistics tab — delivery of ${MAIN.toLocaleString('en-US')} events, store of ${(MAIN + OTHER).toLocaleString('en-US')}\n`);
  for (const [key, value] of Object.entries(metrics)) console.log(`${key.padEnd(Math.max(...Object.keys(metrics).map((k) => k.length)))}  ${Array.isArray(value) ? value.join(', ') : (value ?? 'not measured').toLocaleString('en-US')}`);
  const out = join(ROOT, 'bench-results.json');
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  previous.stats = metrics;
  writeFileSync(out, `${JSON.stringify(previous, null, 2)}\n`);
  console.log(`\nmerged into ${out} under "stats"`);
}

await main();
