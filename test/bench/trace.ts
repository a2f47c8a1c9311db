// BENCH_TRACE=<file>: a Chrome trace of the whole browser (every process and thread) while the ingest runs, for
// chrome://tracing or Perfetto. It showed where the extension renderer's main thread went during a 1 M-event ingest
// (live queries of the open tracking view re-reading after every page; components/use-live-query.ts).
// Also the trace of one page's session that the logs bench and test/bench/table-proto.ts take (startPageTrace), a
// page's CPU profile (startCpuProfile), and the trace event fields the benches read.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { readMark } from './store.ts';

/** A Chromium trace event: the fields the benches read. */
export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; value?: string };
}

/**
 * Starts a trace through a DevTools session on `page` (Chromium records every process); the result stops it and
 * returns the trace's JSON. `traceConfig` as the protocol's Tracing.start takes it (categories, memory dumps).
 */
export async function startPageTrace(page: Page, traceConfig: Record<string, unknown>): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  // (The protocol types the config's memory dump triggers as strings; Chromium takes the trigger list.)
  await cdp.send('Tracing.start', { traceConfig: traceConfig as never, transferMode: 'ReturnAsStream' });
  return async () => {
    const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
    await cdp.send('Tracing.end');
    const stream = await done;
    let data = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream });
      data += chunk.data;
      if (chunk.eof) break;
    }
    await cdp.detach();
    return data;
  };
}

/** Trace categories enough for mainThreadCpuToMark: the threads' tasks (with their CPU time), navigation and marks. */
export const CPU_TO_MARK_CATEGORIES = ['toplevel', 'blink.user_timing', 'loading', 'navigation'];

/**
 * From a trace of one page load: the CPU time of the main thread that set performance mark `mark`, from its last
 * navigation start (or from mark `from`, set on that thread before it) to the mark (its top-level tasks' thread time;
 * the task running at the mark counts whole). On two cores a page load's wall time includes waiting for a core (a
 * traced statistics load on 2026-11-29: 193 ms of wall time for 109 ms of the main thread's CPU); this is the page's
 * own work. It varies too: seven loads of one build ranged 65–103 ms (the same day), so compare medians of many.
 * Undefined when the trace has no such mark or start.
 */
export function mainThreadCpuToMark(events: TraceEvent[], mark: string, from = 'navigationStart'): number | undefined {
  const m = events.find((e) => e.name === mark);
  if (!m) return undefined;
  const onThread = (e: TraceEvent): boolean => e.pid === m.pid && e.tid === m.tid;
  const start = events.filter((e) => e.name === from && onThread(e) && e.ts <= m.ts).at(-1)?.ts;
  if (start === undefined) return undefined;
  // Top-level tasks (any event not inside one before it); the one running at `from` counts from there, in proportion.
  const tasks = events
    .filter((e) => e.ph === 'X' && onThread(e) && e.dur !== undefined && e.ts + e.dur > start && e.ts <= m.ts)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  let end = -Infinity;
  let us = 0;
  for (const e of tasks) {
    if (e.ts < end) continue; // inside a task already counted
    const share = e.ts < start ? (e.ts + e.dur! - start) / e.dur! : 1;
    us += (e.tdur ?? 0) * share;
    end = e.ts + e.dur!;
  }
  return us / 1000;
}

/**
 * One load of `url` in `page`, traced with CPU_TO_MARK_CATEGORIES until mark `mark` is set: the main thread's CPU
 * time to it (mainThreadCpuToMark, from `from`). The statistics and hot-clicks benches take the median of several.
 */
export async function cpuToMarkOfLoad(page: Page, url: string, mark: string, from?: string): Promise<number | undefined> {
  const stop = await startPageTrace(page, { includedCategories: CPU_TO_MARK_CATEGORIES });
  await page.goto(url);
  await readMark(page, mark);
  return mainThreadCpuToMark((JSON.parse(await stop()) as { traceEvents: TraceEvent[] }).traceEvents, mark, from);
}

/**
 * Starts V8's CPU profiler on `page`, sampling every 100 µs; the result stops it and writes the profile to `file`
 * (DevTools' Performance panel opens it). Used by the logs, statistics and hot-clicks benches.
 */
export async function startCpuProfile(page: Page): Promise<(file: string) => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return async (file) => {
    writeFileSync(file, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    await cdp.detach();
  };
}

const CATEGORIES = [
  'toplevel',
  'toplevel.flow',
  'ipc',
  'mojom',
  'v8',
  'blink',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'IndexedDB',
  'loading',
  'ServiceWorker',
  ...(process.env.BENCH_TRACE_CPU ? ['disabled-by-default-v8.cpu_profiler'] : []),
];

/** Starts tracing over the browser's DevTools endpoint (needs --remote-debugging-port); the result stops it and writes `file`. */
export async function startTrace(userDataDir: string, file: string): Promise<() => Promise<void>> {
  const port = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n')[0]?.trim();
  const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const ws = new WebSocket(version.webSocketDebuggerUrl);
  await new Promise((ok, fail) => {
    ws.addEventListener('open', ok, { once: true });
    ws.addEventListener('error', () => fail(new Error('CDP WebSocket to the browser failed')), { once: true });
  });
  const events: unknown[] = [];
  let complete: (() => void) | undefined;
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data)) as { method?: string; params?: { value?: unknown[] } };
    if (m.method === 'Tracing.dataCollected') events.push(...(m.params?.value ?? []));
    if (m.method === 'Tracing.tracingComplete') complete?.();
  });
  ws.send(JSON.stringify({ id: 1, method: 'Tracing.start', params: { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } } }));
  await new Promise((r) => setTimeout(r, 300)); // every process has started recording
  return async () => {
    const done = new Promise<void>((r) => (complete = r));
    ws.send(JSON.stringify({ id: 2, method: 'Tracing.end' }));
    await done;
    writeFileSync(file, JSON.stringify({ traceEvents: events }));
    ws.close();
  };
}
