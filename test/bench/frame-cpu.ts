// Where a page's frames spend CPU, from a Chromium trace with the categories `devtools.timeline` and `toplevel`:
// the page's main thread by rendering phase (self time, so nested events count once) and the page's raster tasks on
// its helper threads, each per frame (the count of commits). Used by the logs bench with LOGS_BENCH_TRACE and by
// test/bench/table-proto.ts. CPU time (the events' thread time), not wall time: a thread waiting for a core is not
// counted, so two variants measured minutes apart on a shared machine compare better than by their wall time.
// Erasable TypeScript only (Node's type stripping runs the benches).
import type { TraceEvent as Ev } from './trace.ts';

/** Main-thread phases reported, by trace event name (self time each). */
const PHASES: Record<string, string> = {
  Layout: 'layout',
  UpdateLayoutTree: 'style',
  Paint: 'paint',
  PrePaint: 'prepaint',
  Layerize: 'layerize',
  Commit: 'commit',
  'v8.callFunction': 'script',
  FunctionCall: 'script',
  EvaluateScript: 'script',
  'v8.run': 'script',
};

export interface FrameCpu {
  frames: number;
  /** The main thread's CPU a frame: all its tasks, and by phase. */
  main: number;
  phases: Record<string, number>;
  /** Raster tasks' CPU a frame (the page's process, any thread), and tiles rastered a frame. */
  raster: number;
  tiles: number;
}

/**
 * Per-frame CPU of the page whose main thread ran `marker` (an event name only that page's main thread has, say
 * `FireAnimationFrame`), from `events`. Undefined when the trace has no such thread or no commits.
 */
export function frameCpu(events: Ev[], marker = 'FireAnimationFrame'): FrameCpu | undefined {
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name' && e.args?.name) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  const hit = events.find((e) => e.name === marker && threadNames.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
  if (!hit) return undefined;
  const main = `${hit.pid}:${hit.tid}`;
  const xs = events
    .filter((e) => e.ph === 'X' && e.tdur !== undefined && e.dur !== undefined && `${e.pid}:${e.tid}` === main)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const frames = xs.filter((e) => e.name === 'Commit').length;
  if (!frames) return undefined;
  // Self thread time: each event's thread time less its children's (events nest by time on one thread).
  const childCpu = new Map<Ev, number>();
  const stack: Ev[] = [];
  let mainCpu = 0;
  for (const e of xs) {
    while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) childCpu.set(parent, (childCpu.get(parent) ?? 0) + e.tdur!);
    else if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') mainCpu += e.tdur!;
    stack.push(e);
  }
  const phases: Record<string, number> = {};
  for (const e of xs) {
    const phase = PHASES[e.name];
    if (phase) phases[phase] = (phases[phase] ?? 0) + (e.tdur! - (childCpu.get(e) ?? 0));
  }
  let raster = 0;
  let tiles = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RasterTask' || e.pid !== hit.pid) continue;
    raster += e.tdur ?? 0;
    tiles++;
  }
  const perFrame = (us: number): number => Math.round(us / frames / 10) / 100;
  return {
    frames,
    main: perFrame(mainCpu),
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, perFrame(v)])),
    raster: perFrame(raster),
    tiles: Math.round((tiles / frames) * 10) / 10,
  };
}

/** One line: `main 10.7 ms (layout 3.5, paint 2.1, …); raster 3.4 ms (17.9 tiles)`. */
export function describeFrameCpu(f: FrameCpu): string {
  const phases = Object.entries(f.phases)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  return `main ${f.main.toFixed(2)} ms (${phases}); raster ${f.raster.toFixed(2)} ms (${f.tiles} tiles), a frame over ${f.frames} frames`;
}
