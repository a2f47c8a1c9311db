// Benchmark of the Tracking logs table and the recipient tracking tab:
//   sh scripts/node.sh node --expose-gc test/bench/logs.ts      (after `npm run build:e2e`)
//
// Seeds the store through the real workflow from two loopback feeds (test/fixtures/feed-server.ts): one delivery of
// LOGS_BENCH_BIG events (default 1 000 000) and 20 more deliveries up to LOGS_BENCH_TOTAL events in all (default
// 5 000 000). Smaller while developing: LOGS_BENCH_BIG=100000 LOGS_BENCH_TOTAL=300000.
// Then, in the options page in headless Chromium:
//   - logs table: time to first display of the big delivery's logs; scroll frames while jumping through all rows
//     (requestAnimationFrame intervals, and the script+layout work of each jump measured synchronously), max and p95;
//     long animation frames (PerformanceObserver) seen while scrolling;
//   - recipient tab, for a typical and for the most active recipient, across the store: time from navigation to the
//     first rows shown (newest segments first, a progress line) and to the complete state (every candidate read);
//   - recipient search: time to the first results (index build included) and for a second query;
//   - an hourly run adding 10 000 events to that store.
// Merges the numbers into bench-results.json under "logs". Numbers compare runs on one machine; nothing gates on them.
// Same conventions as test/bench/run.ts (Node type stripping: erasable TypeScript, local imports with `.ts`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchExtension } from '../e2e/harness.ts';
import { makeDataset, recipientAddress, startFeedServer } from '../fixtures/feed-server.ts';
import { addFeedSource, busyPct, cpuTimes, disableSource, runOnce, waitForQuiet } from './store.ts';
import { describeFrameCpu, frameCpu } from './frame-cpu.ts';
import { startCpuProfile, startPageTrace } from './trace.ts';
import type { TraceEvent } from './trace.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIG = Number(process.env.LOGS_BENCH_BIG ?? 1_000_000);
const TOTAL = Math.max(BIG, Number(process.env.LOGS_BENCH_TOTAL ?? 5_000_000));
const SCROLL_JUMPS = Number(process.env.LOGS_BENCH_JUMPS ?? 1000);
const SCROLL_ONLY = process.env.LOGS_BENCH_SCROLL_ONLY === '1';

type Metrics = Record<string, number | string | null>;

/** In the page: the store's deliveries, its segment count, and the dictionary id of an address. */
const readStore = async (address: string): Promise<{ deliveries: { id: number; sourceId: string; extId: string }[]; rcpId: number; segments: number }> => {
  const req = indexedDB.open('tracking-logs');
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const all = <T,>(store: string): Promise<T[]> =>
    new Promise((ok, fail) => {
      const q = db.transaction(store).objectStore(store).getAll();
      q.onsuccess = () => ok(q.result as T[]);
      q.onerror = () => fail(q.error);
    });
  const count = (store: string): Promise<number> =>
    new Promise((ok, fail) => {
      const q = db.transaction(store).objectStore(store).count();
      q.onsuccess = () => ok(q.result);
      q.onerror = () => fail(q.error);
    });
  let rcpId = 0;
  if (address) {
    for (const c of await all<{ name: string; firstId: number; keys: string[] }>('dicts')) {
      if (c.name !== 'recipients') continue;
      const i = c.keys.indexOf(address);
      if (i >= 0) rcpId = c.firstId + i;
    }
  }
  const out = { deliveries: await all<never>('deliveries'), rcpId, segments: await count('segments') };
  db.close();
  return out;
};

/**
 * Starts a trace of the page's process; the returned function stops it and returns the trace (JSON). `light`: V8's
 * events only (its collections among them, with V8's record of each).
 */
async function startTrace(page: Page, light = false): Promise<() => Promise<string>> {
  const categories = light
    ? ['v8', 'disabled-by-default-v8.gc', 'blink.user_timing']
    : ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'v8', 'v8.gc', 'disabled-by-default-v8.gc', 'cppgc', 'blink.user_timing', 'toplevel', 'scheduler'];
  // LOGS_BENCH_TRACE_MEMORY=1: memory dumps too (V8, Blink's heap, PartitionAlloc, malloc), to see which heap grows
  // between collections.
  const memory = process.env.LOGS_BENCH_TRACE_MEMORY === '1';
  if (memory) categories.push('disabled-by-default-memory-infra');
  // LOGS_BENCH_TRACE_EXTRA=<categories,…>: more trace categories (say, disabled-by-default-devtools.timeline.invalidationTracking).
  categories.push(...(process.env.LOGS_BENCH_TRACE_EXTRA ?? '').split(',').filter(Boolean));
  // LOGS_BENCH_TRACE_MEMORY_MODE=detailed breaks Blink's heap down by space, at LOGS_BENCH_TRACE_MEMORY_MS intervals;
  // it costs frames.
  const triggers = [{ mode: process.env.LOGS_BENCH_TRACE_MEMORY_MODE ?? 'light', periodic_interval_ms: Number(process.env.LOGS_BENCH_TRACE_MEMORY_MS ?? 100) }];
  return startPageTrace(page, { includedCategories: categories, memoryDumpConfig: memory ? { triggers } : undefined });
}

/** Runs the workflow once: its status, duration and events stored over every source. */
async function runNow(page: Page): Promise<{ status: string; ms: number; stored: number }> {
  const last = await runOnce(page, 30);
  return { status: last.status, ms: (last.endedAt ?? Date.now()) - last.startedAt, stored: last.sources.reduce((n, src) => n + src.stored, 0) };
}

/** In the page: waits until `selector` exists, returning performance.now() then. */
const waitFor = (selector: string): Promise<number> =>
  new Promise((resolve) => {
    const check = (): void => {
      if (document.querySelector(selector)) resolve(performance.now());
      else requestAnimationFrame(check);
    };
    check();
  });

/** In the page: navigates by hash and times until `selector` is drawn. */
const timeNavigation = async ({ hash, selector, text }: { hash: string; selector: string; text?: string }): Promise<number> => {
  const t0 = performance.now();
  location.hash = hash;
  const t1 = await new Promise<number>((resolve) => {
    const check = (): void => {
      const el = document.querySelector(selector);
      if (el && (text === undefined || (el.textContent ?? '').includes(text))) resolve(performance.now());
      else setTimeout(check, 1);
    };
    check();
  });
  return t1 - t0;
};

/**
 * In the page: navigates to a recipient and times (a) the first rows drawn and (b) the complete state: no progress
 * line left and the summary not marked partial (a build without progressive loading is complete at its first rows).
 */
const timeRecipient = async (hash: string): Promise<{ first: number; complete: number }> => {
  const t0 = performance.now();
  location.hash = hash;
  let first = 0;
  const complete = await new Promise<number>((resolve) => {
    const check = (): void => {
      const rows = document.querySelector('.vtable__body .vtable__row');
      if (rows && !first) first = performance.now();
      if (rows && !document.querySelector('.rcp-progress, .rcp-summary[data-complete="false"]')) resolve(performance.now());
      else setTimeout(check, 1);
    };
    check();
  });
  return { first: first - t0, complete: complete - t0 };
};

/**
 * In the page: jumps the logs table through all its rows, one position per animation frame, and records (a) the
 * interval between frames, (b) the synchronous work of each jump (scroll → virtualizer → Preact render → layout),
 * (c) long animation frames reported meanwhile.
 */
const scrollFrames = async ({
  jumps,
  still = false,
}: {
  jumps: number;
  /** Count frames the same way without scrolling: what the page and machine drop on their own. */
  still?: boolean;
}): Promise<{ intervals: number[]; work: number[]; loaf: number[]; worst: string; rows: number; scrollHeight: number }> => {
  const body = document.querySelector<HTMLElement>('.vtable__body')!;
  const loaf: number[] = [];
  // Where the longest frame's time went: scripts (with their source), style and layout, and the rest (rendering
  // outside script, or the process not running at all on a loaded machine).
  let worst = '';
  let worstMs = 0;
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        loaf.push(e.duration);
        if (e.duration <= worstMs) continue;
        worstMs = e.duration;
        const f = e as PerformanceEntry & { renderStart: number; styleAndLayoutStart: number; scripts?: { duration: number; invoker: string; sourceFunctionName: string }[] };
        const scripts = (f.scripts ?? []).map((x) => `${x.invoker || x.sourceFunctionName} ${Math.round(x.duration)}`).join(', ');
        const layout = f.styleAndLayoutStart ? e.startTime + e.duration - f.styleAndLayoutStart : 0;
        worst = `${Math.round(e.duration)} ms: scripts [${scripts}], style+layout ${Math.round(layout)}, render start +${Math.round(f.renderStart ? f.renderStart - e.startTime : 0)}`;
      }
    });
    observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch {
    // not supported: LoAF stays empty
  }
  const max = body.scrollHeight - body.clientHeight;
  const intervals: number[] = [];
  const work: number[] = [];
  let last = 0;
  // Deterministic spread of positions over the whole range (golden-ratio stepping), plus page-sized steps.
  let x = 0.5;
  await new Promise<void>((done) => {
    let k = 0;
    const frame = (now: number): void => {
      if (last) {
        intervals.push(now - last);
        // A dropped frame, marked in the trace with its interval and the work of the jump before it (lateFrames).
        if (!still && now - last > 17.5) performance.mark(`logs-bench-late-frame ${(now - last).toFixed(1)} ${(work.at(-1) ?? 0).toFixed(1)}`);
      }
      last = now;
      if (k >= jumps) return done();
      x = (x + 0.618033988749895) % 1;
      const target = k % 3 === 2 ? Math.min(max, body.scrollTop + body.clientHeight) : Math.floor(x * max);
      const t0 = performance.now();
      if (!still) {
        body.scrollTop = target;
        body.dispatchEvent(new Event('scroll'));
      }
      // Preact renders in a microtask; measure after it, forcing layout.
      void Promise.resolve().then(() => {
        void body.querySelector('.vtable__row')?.getBoundingClientRect();
        work.push(performance.now() - t0);
      });
      k++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await new Promise((r) => setTimeout(r, 200));
  observer?.disconnect();
  const rows = Number(document.querySelector('.vtable')?.getAttribute('aria-rowcount') ?? 0) - 1;
  return { intervals, work, loaf, worst, rows, scrollHeight: body.scrollHeight };
};

/** The pages' main threads in a trace, as `pid:tid`. */
const mainThreads = (events: TraceEvent[]): Set<string> =>
  new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));

/**
 * The final pauses of the major collections on pages' main threads in a trace: wall time and the thread's CPU time
 * within it (a pause longer than its CPU time waited for helper threads, or for a core).
 */
function majorGcPauses(events: TraceEvent[]): { ms: number; cpuMs: number }[] {
  const main = mainThreads(events);
  return events
    .filter((e) => e.name === 'MajorGC' && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ ms: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

/**
 * What each dropped frame of the scroll met on the page's main thread: the collectors' work within its interval (the
 * scroll marks each one: scrollFrames). Per frame: its interval, the work of the jump before it, then the time of each
 * kind of collector work inside the interval: a major collection's final pause, a minor collection, V8's incremental
 * marking steps, and Blink's sweeping on the main thread (only with LOGS_BENCH_TRACE_EXTRA=cppgc: in three runs
 * that traced that category, the median jump took 2.7–3.2 ms, against 1.7–2.8 in fourteen without it). With
 * LOGS_BENCH_TRACE_EXTRA=toplevel, also the main thread's tasks of over 3 ms in it, each with its longest traced part.
 */
function lateFrames(events: TraceEvent[]): string[] {
  const kinds: [string, (name: string) => boolean][] = [
    ['final pause', (n) => n === 'MajorGC'],
    ['minor', (n) => n === 'MinorGC'],
    ['marking', (n) => n === 'V8.GC_MC_INCREMENTAL'],
    ['sweeping', (n) => n === 'CppGC.IncrementalSweep' || n === 'CppGC.SweepOnAllocation'],
  ];
  const ms = (us: number | undefined): string => ((us ?? 0) / 1000).toFixed(1);
  return events
    .filter((e) => e.name.startsWith('logs-bench-late-frame '))
    .map((mark) => {
      const [interval, jump] = mark.name.split(' ').slice(1).map(Number) as [number, number];
      const from = mark.ts - interval * 1000;
      // What ran on the thread that marked the frame (the page's main thread), and what of it during its interval.
      const thread = events.filter((e) => e.ph === 'X' && e.pid === mark.pid && e.tid === mark.tid);
      const during = thread.filter((e) => e.ts < mark.ts && e.ts + (e.dur ?? 0) > from);
      const spent = kinds.map(([kind, is]) => {
        const us = during.filter((e) => is(e.name)).reduce((sum, e) => sum + Math.min(mark.ts, e.ts + (e.dur ?? 0)) - Math.max(from, e.ts), 0);
        return us > 0 ? `${kind} ${ms(us)}` : '';
      });
      const tasks = during
        .filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) > 3000)
        .map((task) => {
          const end = task.ts + (task.dur ?? 0);
          const inner = thread.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end).sort((x, y) => (y.dur ?? 0) - (x.dur ?? 0))[0];
          return `task ${ms(task.dur)} (CPU ${ms(task.tdur)})${inner ? `: ${inner.name} ${ms(inner.dur)}` : ''}`;
        });
      const met = [...spent.filter(Boolean), ...tasks];
      return `${interval} ms (jump ${jump}): ${met.join(', ') || 'no collector work'}`;
    });
}

/**
 * What the page allocated outside V8's own heap while scrolling, per ms: Blink's heap (Oilpan: DOM, style and layout
 * objects) and array buffers, the rest of what V8 counts against the limit that starts a major collection. From V8's
 * own record of each major collection (`V8.GCTraceGCNVP`, category disabled-by-default-v8.gc): growth of the global
 * heap from the end of one to the start of the next, less V8's old generation's. Undefined without two such records.
 */
function embedderAllocationPerMs(events: TraceEvent[]): number | undefined {
  type Nvp = { gc: string; start_global_consumed_size: number; end_global_consumed_size: number; start_old_gen_consumed_size: number; end_old_gen_consumed_size: number };
  const records = events.filter((e) => e.name === 'V8.GCTraceGCNVP' && e.args?.value);
  // The page's isolate: the process with the most records (the service worker's has few or none while idle).
  const perPid = new Map<number, number>();
  for (const e of records) perPid.set(e.pid, (perPid.get(e.pid) ?? 0) + 1);
  const pid = [...perPid].sort((a, b) => b[1] - a[1])[0]?.[0];
  const majors = records.filter((e) => e.pid === pid).map((e) => ({ ts: e.ts, v: JSON.parse(e.args!.value!) as Nvp })).filter((x) => x.v.gc === 'mc');
  let bytes = 0;
  let us = 0;
  for (let k = 1; k < majors.length; k++) {
    const a = majors[k - 1]!;
    const b = majors[k]!;
    bytes += b.v.start_global_consumed_size - a.v.end_global_consumed_size - (b.v.start_old_gen_consumed_size - a.v.end_old_gen_consumed_size);
    us += b.ts - a.ts;
  }
  return us > 0 ? (bytes / us) * 1000 : undefined;
}

/** Frame intervals longer than one display frame (16.7 ms at 60 Hz, with ~0.1 ms of jitter): frames dropped. */
const droppedFrames = (intervals: number[]): number => intervals.filter((x) => x > 17.5).length;

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const r1 = (x: number): number => Math.round(x * 10) / 10;


async function main(): Promise<void> {
  const metrics: Metrics = { big_delivery_events: BIG, store_events: TOTAL, load_average_1min: Number((await import('node:os')).loadavg()[0]!.toFixed(1)) };
  const big = makeDataset({ deliveries: 1, recipients: 300_000, events: BIG, seed: 5, html: false });
  const restCount = TOTAL - BIG;
  const bigServer = await startFeedServer({ dataset: big });
  let restServer = restCount > 0 ? await startFeedServer({ dataset: makeDataset({ deliveries: 20, recipients: 300_000, events: restCount, seed: 6, html: false }) }) : undefined;
  const ext = await launchExtension();
  let ending = false;
  try {
    const page = await ext.openPage('/options.html#/workflow');
    // If the run is cut off, say which went and when (a "Browser has been closed" at the last step on 2026-11-28 was
    // the bench killed while it waited for a "Run now" that never ran: lib/workflow/controller.ts, `marking`).
    const t0 = Date.now();
    const report = (what: string) => (): void => {
      if (!ending) console.error(`logs bench: ${what} ${Math.round((Date.now() - t0) / 1000)} s in`);
    };
    page.on('crash', report('the page crashed (its renderer process is gone)'));
    page.on('close', report('the page closed'));
    ext.context.on('close', report('the browser closed'));
    await page.evaluate(addFeedSource, { id: 'bench-big', url: bigServer.url('/feed') });
    if (restServer) await page.evaluate(addFeedSource, { id: 'bench-rest', url: restServer.url('/feed') });
    const run = await runNow(page);
    if (run.status !== 'ok' || run.stored !== TOTAL) throw new Error(`seed run ${run.status}, stored ${run.stored} of ${TOTAL}`);
    metrics.seed_run_ms = run.ms;
    metrics.seed_events_per_s = Math.round(TOTAL / (run.ms / 1000));
    // This process now holds gigabytes of generated events and rendered feed pages. On two cores, a collection of
    // that heap during the measurements below takes the CPU from the browser (tried: while this process collected
    // 1.3 GB, the page dropped 2 of 300 scroll frames it otherwise kept): free what the rest of the bench does not
    // need, collect now (`--expose-gc`), and let the machine settle.
    if (restServer) {
      await page.evaluate(disableSource, 'bench-rest');
      await restServer.close();
      restServer = undefined;
    }
    (globalThis as { gc?: () => void }).gc?.();
    // The seed run leaves the extension's service worker with a heap of ~130 MB (dictionaries, dedupe sets, segment
    // buffers), and the collection that clears it once the worker idles takes ~100 ms of the worker's thread plus
    // helper threads (a trace: a memory-reducing mark-compact with a 40 ms array-buffer sweep). On two cores, in the
    // middle of the scroll, that dropped a frame of the page. Chrome stops an idle worker after 30 s anyway; stop
    // it now, so the scroll measures the table. (Scrolling right after a big run can still meet that collection.)
    await ext.stopServiceWorker();
    await new Promise((r) => setTimeout(r, 1000));

    // Two recipients: a typical one (address 150 000: about a dozen events over the store) and the most active
    // (the generator's skewed pick makes address 0 the most frequent, present in nearly every segment: the worst
    // case of the per-segment recipient filters, which then read every segment).
    const address = recipientAddress(0);
    // In a small store (LOGS_BENCH_* while developing) address 150 000 may have no event: take the big delivery's
    // last event's recipient then (a recipient page of an unknown id would wait for rows forever).
    const typical = (await page.evaluate(readStore, recipientAddress(150_000))).rcpId ? recipientAddress(150_000) : big.events.at(-1)!.recipient;
    const store = await page.evaluate(readStore, address);
    const typicalId = (await page.evaluate(readStore, typical)).rcpId;
    if (!typicalId || !store.rcpId) throw new Error(`recipients not in the store: ${typical} → ${typicalId}, ${address} → ${store.rcpId}`);
    metrics.segments = store.segments;
    const bigId = store.deliveries.find((d) => d.sourceId === 'bench-big')!.id;

    // Logs table: first display, then scrolling.
    await page.setViewportSize({ width: 1400, height: 1000 });
    const firstShow = await page.evaluate(timeNavigation, { hash: `#/deliveries/${bigId}/logs`, selector: '.vtable__body .vtable__row' });
    metrics.logs_first_display_ms = Math.round(firstShow);
    await page.evaluate(waitFor, '.vtable__body .vtable__row');
    // LOGS_BENCH_CSS=<rules>: a style sheet added to the page before the scroll, to measure what a style costs without
    // a build (say, LOGS_BENCH_CSS='.vtable__body .vtable__cell { text-overflow: clip }').
    if (process.env.LOGS_BENCH_CSS) {
      await page.evaluate((css) => document.head.append(Object.assign(document.createElement('style'), { textContent: css })), process.env.LOGS_BENCH_CSS);
      metrics.logs_bench_css = process.env.LOGS_BENCH_CSS;
    }
    // LOGS_BENCH_TRACE=<file>: a Chromium trace of the scroll (rendering, V8 and Blink garbage collection), for
    // chrome://tracing or Perfetto.
    const quiet = await waitForQuiet();
    metrics.machine_quiet_wait_ms = quiet.waitedMs;
    metrics.machine_busy_before_scroll_pct = quiet.busy;
    // Without LOGS_BENCH_TRACE, a trace of V8's events only (light), to count the page's major collections during
    // the scroll and their final pauses: what a dropped frame meets.
    const trace = await startTrace(page, !process.env.LOGS_BENCH_TRACE);
    // LOGS_BENCH_HEAP_PROFILE=<file>: V8's sampling heap profile of the page during the scroll, counting objects
    // already collected too (what the page allocates while it scrolls, for DevTools' Memory panel).
    const heapCdp = process.env.LOGS_BENCH_HEAP_PROFILE ? await ext.context.newCDPSession(page) : undefined;
    await heapCdp?.send('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    // LOGS_BENCH_CPU_PROFILE=<file>: V8's CPU profile of the page during the scroll (script only; DevTools' Performance
    // panel opens it), sampled every 100 µs.
    const stopCpuProfile = process.env.LOGS_BENCH_CPU_PROFILE ? await startCpuProfile(page) : undefined;
    // The page's heaps before and after the scroll: V8's, Blink's (Oilpan, with the DOM and layout objects) and the
    // array buffers' backing stores (the delivery's event columns). V8 starts a major collection when their sum nears
    // a limit set from what was live after the last one, so they decide how often the scroll meets one.
    const usageCdp = await ext.context.newCDPSession(page);
    const heapUsage = async (): Promise<{ v8: number; blink: number; buffers: number }> => {
      const u = (await usageCdp.send('Runtime.getHeapUsage')) as { usedSize: number; embedderHeapUsedSize?: number; backingStorageSize?: number };
      const mb = (x: number | undefined): number => r1((x ?? NaN) / 1e6);
      return { v8: mb(u.usedSize), blink: mb(u.embedderHeapUsedSize), buffers: mb(u.backingStorageSize) };
    };
    const before = await heapUsage();
    const cpu0 = cpuTimes();
    const s = await page.evaluate(scrollFrames, { jumps: SCROLL_JUMPS });
    metrics.machine_busy_during_scroll_pct = busyPct(cpu0, cpuTimes());
    // The trace ends with the scroll (a heap snapshot below collects the heap: not a collection the scroll met).
    const traced = await trace();
    if (process.env.LOGS_BENCH_TRACE) writeFileSync(process.env.LOGS_BENCH_TRACE, traced);
    // LOGS_BENCH_TRACE_LIGHT=<file>: the light trace, written out (to look at a dropped frame it met).
    else if (process.env.LOGS_BENCH_TRACE_LIGHT) writeFileSync(process.env.LOGS_BENCH_TRACE_LIGHT, traced);
    const traceEvents = (JSON.parse(traced) as { traceEvents: TraceEvent[] }).traceEvents;
    const pauses = majorGcPauses(traceEvents);
    metrics.logs_scroll_major_gcs = pauses.length;
    metrics.logs_scroll_gc_pause_max_ms = pauses.length ? r1(Math.max(...pauses.map((x) => x.ms))) : 0;
    const late = lateFrames(traceEvents);
    metrics.logs_dropped_frames_met = late.length ? late.join('; ') : null;
    // With the full trace: where each frame's CPU went, the main thread by phase and the raster tasks (frame-cpu.ts).
    const cpu = process.env.LOGS_BENCH_TRACE ? frameCpu(traceEvents) : undefined;
    if (cpu) metrics.logs_frame_cpu = describeFrameCpu(cpu);
    const outside = embedderAllocationPerMs(traceEvents);
    if (outside !== undefined) metrics.logs_scroll_blink_alloc_kb_per_frame = r1((outside * (1000 / 60)) / 1e3);
    metrics.logs_scroll_gc_pause_cpu_max_ms = pauses.length ? r1(Math.max(...pauses.map((x) => x.cpuMs))) : 0;
    const after = await heapUsage();
    // LOGS_BENCH_HEAP_SNAPSHOT=<file>: a heap snapshot of the page after the scroll, for DevTools' Memory panel.
    if (process.env.LOGS_BENCH_HEAP_SNAPSHOT) {
      let snapshot = '';
      const onChunk = (e: { chunk: string }): void => {
        snapshot += e.chunk;
      };
      usageCdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await usageCdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      usageCdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      writeFileSync(process.env.LOGS_BENCH_HEAP_SNAPSHOT, snapshot);
    }
    await usageCdp.detach();
    for (const [when, u] of [['before', before], ['after', after]] as const) {
      metrics[`logs_page_v8_heap_${when}_scroll_mb`] = u.v8;
      metrics[`logs_page_blink_heap_${when}_scroll_mb`] = u.blink;
      metrics[`logs_page_array_buffers_${when}_scroll_mb`] = u.buffers;
    }
    if (stopCpuProfile) await stopCpuProfile(process.env.LOGS_BENCH_CPU_PROFILE!);
    if (heapCdp) {
      writeFileSync(process.env.LOGS_BENCH_HEAP_PROFILE!, JSON.stringify((await heapCdp.send('HeapProfiler.stopSampling')).profile));
      await heapCdp.detach();
    }
    metrics.logs_rows = s.rows;
    metrics.logs_scroll_height_px = s.scrollHeight;
    metrics.logs_scroll_frames = s.intervals.length;
    metrics.logs_frame_interval_p50_ms = r1(pct(s.intervals, 50));
    metrics.logs_frame_interval_p95_ms = r1(pct(s.intervals, 95));
    metrics.logs_frame_interval_max_ms = r1(Math.max(...s.intervals));
    metrics.logs_dropped_frames = droppedFrames(s.intervals);
    metrics.logs_jump_work_p50_ms = r1(pct(s.work, 50));
    metrics.logs_jump_work_p95_ms = r1(pct(s.work, 95));
    metrics.logs_jump_work_max_ms = r1(Math.max(...s.work));
    metrics.logs_long_animation_frames = s.loaf.length;
    metrics.logs_long_animation_frame_max_ms = s.loaf.length ? r1(Math.max(...s.loaf)) : 0;
    metrics.logs_longest_frame = s.worst || null;
    // LOGS_BENCH_SCROLL_ONLY=1: the scroll above only, for comparing variants (then nothing is merged into
    // bench-results.json).
    if (!SCROLL_ONLY) {
      // The same count of frames on the same page, not scrolling: frames dropped with no jump to draw are the
      // machine's (other processes and threads on two cores), not the table's.
      await waitForQuiet();
      const cpu1 = cpuTimes();
      const stillTrace = process.env.LOGS_BENCH_TRACE_STILL ? await startTrace(page) : undefined;
      const still = await page.evaluate(scrollFrames, { jumps: SCROLL_JUMPS, still: true });
      if (stillTrace) writeFileSync(process.env.LOGS_BENCH_TRACE_STILL!, await stillTrace());
      metrics.machine_busy_during_still_pct = busyPct(cpu1, cpuTimes());
      metrics.logs_still_frames = still.intervals.length;
      metrics.logs_still_dropped_frames = droppedFrames(still.intervals);
      metrics.logs_still_frame_interval_max_ms = r1(Math.max(...still.intervals));
      // Sorted by recipient (a radix sort of every row), then scrolled again.
      const sortMs = await page.evaluate(timeNavigation, { hash: `#/deliveries/${bigId}/logs?sort=rcp`, selector: '.vtable [aria-sort="ascending"]', text: 'Recipient' });
      metrics.logs_sort_by_recipient_ms = Math.round(sortMs);
      const s2 = await page.evaluate(scrollFrames, { jumps: Math.min(100, SCROLL_JUMPS) });
      metrics.logs_sorted_jump_work_p95_ms = r1(pct(s2.work, 95));
      metrics.logs_sorted_frame_interval_max_ms = r1(Math.max(...s2.intervals));
      await page.screenshot({ path: join(ROOT, 'test-results', 'bench-logs.png') }).catch(() => undefined);

      // Recipient tab across the store: median of 3 cold openings (leaving the route drops its query). Two times: the
      // first rows shown (the newest batch of segments, with the progress line), and the complete state (every
      // candidate segment read).
      for (const [name, id] of [['typical', typicalId], ['most_active', store.rcpId]] as const) {
        const first: number[] = [];
        const complete: number[] = [];
        for (let i = 0; i < 3; i++) {
          await page.evaluate(timeNavigation, { hash: '#/workflow', selector: '.health-panel, h1' });
          const m = await page.evaluate(timeRecipient, `#/recipients/${id}`);
          first.push(m.first);
          complete.push(m.complete);
        }
        first.sort((a, b) => a - b);
        complete.sort((a, b) => a - b);
        metrics[`recipient_tab_${name}_first_rows_ms_median`] = Math.round(first[1]!);
        metrics[`recipient_tab_${name}_first_rows_ms_max`] = Math.round(first[2]!);
        metrics[`recipient_tab_${name}_complete_ms_median`] = Math.round(complete[1]!);
        metrics[`recipient_tab_${name}_complete_ms_max`] = Math.round(complete[2]!);
        metrics[`recipient_tab_${name}_events`] = Number((await page.locator('.vtable').getAttribute('aria-rowcount')) ?? 1) - 1;
        await page.screenshot({ path: join(ROOT, 'test-results', `bench-recipient-${name}.png`) }).catch(() => undefined);
      }

      // Recipient search (the index is built on the first visit of the page).
      await page.evaluate(timeNavigation, { hash: '#/workflow', selector: 'h1' });
      metrics.recipient_search_first_ms = Math.round(
        await page.evaluate(timeNavigation, { hash: `#/recipients?q=${encodeURIComponent(address.slice(0, 8))}`, selector: '.recipient-results li' }),
      );
      metrics.recipient_search_again_ms = Math.round(
        await page.evaluate(timeNavigation, { hash: `#/recipients?q=${encodeURIComponent('maria.')}`, selector: '.recipient-results li a[href]' }),
      );

      // An hourly run into this 5 M-event store (../shared/architecture.md: < 1 s, cost follows new events): 10 000
      // new events an hour after the newest, for the big delivery.
      let newest = 0;
      for (const e of big.events) newest = Math.max(newest, typeof e.time === 'number' ? e.time : Date.parse(e.time));
      const more = makeDataset({ deliveries: 1, recipients: 300_000, events: 10_000, seed: 8, html: false, start: newest + 3_600_000 });
      bigServer.append({ events: more.events.map((e, i) => ({ ...e, id: `hourly-${i}`, delivery: big.deliveries[0]!.id })) });
      const hourly = await runNow(page);
      if (hourly.status !== 'ok' || hourly.stored !== 10_000) throw new Error(`hourly run ${hourly.status}, stored ${hourly.stored}`);
      metrics.hourly_10k_into_store_run_ms = hourly.ms;
    }
  } finally {
    ending = true;
    await ext.close();
    await bigServer.close();
    await restServer?.close();
  }

  const width = Math.max(...Object.keys(metrics).map((k) => k.length));
  console.log(`\nTracking logs / recipient tab bench — ${BIG.toLocaleString('en-US')} events in one delivery, ${TOTAL.toLocaleString('en-US')} in the store\n`);
  for (const [k, v] of Object.entries(metrics)) console.log(`${k.padEnd(width)}  ${typeof v === 'number' ? v.toLocaleString('en-US') : String(v)}`);
  if (SCROLL_ONLY) return;
  const out = join(ROOT, 'bench-results.json');
  const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  all.logs = { ...metrics, measuredAt: new Date().toISOString() };
  writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`\nmerged into ${out} under "logs"`);
}

await main();
