// Prints the targets of ../shared/architecture.md and the issues against what this `npm run bench` measured
// (bench-results.json, written by run.ts and merged into by the section scripts). Run last by `npm run bench`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = join(ROOT, 'bench-results.json');
if (!existsSync(file)) throw new Error('bench-results.json not found: run `npm run bench` first');
const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

const at = (path: string): number | undefined => {
  let v: unknown = r;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === 'number' ? v : undefined;
};

type Row = { what: string; value: number | undefined; unit: string; target: string; ok: (v: number) => boolean };
const rows: Row[] = [
  { what: 'ingest, end to end', value: at('ingest_events_per_s'), unit: 'events/s', target: '≥ 250 000', ok: (v) => v >= 250_000 },
  { what: 'row-per-event IndexedDB, the same 1 M events (baseline)', value: at('row_per_event_events_per_s'), unit: 'events/s', target: '(reported)', ok: () => true },
  { what: 'ingest ÷ row-per-event IndexedDB', value: at('ratio_ingest_vs_row_per_event'), unit: '×', target: '≥ 30×', ok: (v) => v >= 30 },
  { what: 'row-per-event, 200 000 short synthetic rows (the bench before 2026-11-28)', value: at('idb_raw_events_per_s'), unit: 'events/s', target: '(reported)', ok: () => true },
  { what: 'ingest ÷ the synthetic rows', value: at('ratio_ingest_vs_row_per_event_synthetic'), unit: '×', target: '(reported)', ok: () => true },
  { what: 'ingest ÷ JSON.parse of the same bytes', value: at('ratio_ingest_vs_json_parse'), unit: '×', target: '≥ 0.45×', ok: (v) => v >= 0.45 },
  { what: 'fetching the same bytes alone (loopback, in the worker)', value: at('fetch_only_same_bytes_events_per_s'), unit: 'events/s', target: '(reported)', ok: () => true },
  { what: 'ingest ÷ fetching and then JSON.parse of the same bytes', value: at('ratio_ingest_vs_fetch_and_parse'), unit: '×', target: '(reported)', ok: () => true },
  { what: 'worker heap peak during ingest', value: mb(at('ingest_heap_peak_bytes')), unit: 'MB', target: '< 300 MB', ok: (v) => v < 300 },
  { what: 'store on disk', value: at('ingest_disk_bytes_per_event'), unit: 'B/event', target: '≤ 40', ok: (v) => v <= 40 },
  { what: 'hourly run, 10 000 new events', value: at('hourly_10k_run_ms'), unit: 'ms', target: '< 1 000 (1 M store)', ok: (v) => v < 1000 },
  { what: 'hourly run, 10 000 new events into the 5 M store', value: at('logs.hourly_10k_into_store_run_ms'), unit: 'ms', target: '< 1 000', ok: (v) => v < 1000 },
  { what: 'popup health on screen', value: at('popup_health_ms'), unit: 'ms', target: '< 100', ok: (v) => v < 100 },
  { what: 'Tracking statistics drawn (1 M delivery, 5 M store), median', value: at('stats.stats_drawn_ms_median'), unit: 'ms', target: '< 150', ok: (v) => v < 150 },
  { what: 'Tracking statistics, humans only (events read and classified), median', value: at('stats.stats_human_drawn_ms_median'), unit: 'ms', target: '(reported)', ok: () => true },
  { what: 'logs table scroll: work per jump, p95', value: at('logs.logs_jump_work_p95_ms'), unit: 'ms', target: '< 16', ok: (v) => v < 16 },
  // Every frame's work under 16 ms: the work of each jump, and no frame dropped. Frame intervals come in display
  // frames (16.7 ms at 60 Hz, with ~0.1 ms of jitter), so the longest interval is one frame when none was dropped.
  { what: 'logs table scroll: work per jump, max', value: at('logs.logs_jump_work_max_ms'), unit: 'ms', target: '< 16', ok: (v) => v < 16 },
  { what: 'logs table scroll: frame interval, max', value: at('logs.logs_frame_interval_max_ms'), unit: 'ms', target: '≤ 1 frame (16.7)', ok: (v) => v < 17.5 },
  { what: 'logs table scroll: frames dropped', value: at('logs.logs_dropped_frames'), unit: `of ${at('logs.logs_scroll_frames') ?? '?'}`, target: '0', ok: (v) => v === 0 },
  // What a dropped frame meets: the page's major collections during the scroll, and the longest final pause (its
  // wall time; the main thread's own CPU time in it is logs_scroll_gc_pause_cpu_max_ms).
  { what: 'logs table scroll: major collections of the page', value: at('logs.logs_scroll_major_gcs'), unit: '', target: '(reported)', ok: () => true },
  { what: 'logs table scroll: Blink heap allocated per frame', value: at('logs.logs_scroll_blink_alloc_kb_per_frame'), unit: 'KB', target: '(reported)', ok: () => true },
  { what: 'logs table scroll: longest collection pause', value: at('logs.logs_scroll_gc_pause_max_ms'), unit: 'ms', target: '(reported)', ok: () => true },
  // Baseline of the same run: the same page counting as many frames without scrolling.
  { what: 'same page, not scrolling: frames dropped (baseline)', value: at('logs.logs_still_dropped_frames'), unit: `of ${at('logs.logs_still_frames') ?? '?'}`, target: '(reported)', ok: () => true },
  { what: 'recipient tab across 5 M, typical recipient: first rows', value: at('logs.recipient_tab_typical_first_rows_ms_median'), unit: 'ms', target: '< 300', ok: (v) => v < 300 },
  { what: 'recipient tab across 5 M, typical recipient: complete', value: at('logs.recipient_tab_typical_complete_ms_median'), unit: 'ms', target: '< 300', ok: (v) => v < 300 },
  { what: 'recipient tab across 5 M, most active recipient: first rows', value: at('logs.recipient_tab_most_active_first_rows_ms_median'), unit: 'ms', target: '< 300', ok: (v) => v < 300 },
  { what: 'recipient tab across 5 M, most active recipient: complete', value: at('logs.recipient_tab_most_active_complete_ms_median'), unit: 'ms', target: '< 300', ok: (v) => v < 300 },
  { what: 'hot clicks, 100-link email: tab opened → badges drawn, median', value: at('hotclicks.tab_to_drawn_ms_median'), unit: 'ms', target: '< 100', ok: (v) => v < 100 },
  { what: 'hot clicks, 100-link email: navigation → badges drawn, median', value: at('hotclicks.navigation_to_drawn_ms_median'), unit: 'ms', target: '(reported)', ok: () => true },
  { what: 'hot clicks, first view (sanitised at the view, not kept yet): tab → badges, median', value: at('hotclicks.first_view_tab_to_drawn_ms_median'), unit: 'ms', target: '(reported)', ok: () => true },
  { what: 'hot clicks: requests to the tracking host', value: at('hotclicks.tracking_host_requests'), unit: '', target: '0', ok: (v) => v === 0 },
  { what: 'overlay of a 100-link email, after the data', value: at('overlay.draw_ms_median'), unit: 'ms', target: '< 100', ok: (v) => v < 100 },
  { what: 'import of a 1 M-event SendGrid file', value: at('import_events_per_s'), unit: 'events/s', target: '(reported)', ok: () => true },
  { what: 'import: page heap peak', value: mb(at('import_page_heap_peak_bytes')), unit: 'MB', target: '(reported)', ok: () => true },
];

function mb(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : Math.round(bytes / 1e6);
}

const w = Math.max(...rows.map((x) => x.what.length));
console.log(`\nTracking Logs — targets against this run (${file})\n`);
console.log(`${'measure'.padEnd(w)}  ${'measured'.padStart(16)}  ${'target'.padEnd(20)}  met`);
console.log(`${'-'.repeat(w)}  ${'-'.repeat(16)}  ${'-'.repeat(20)}  ---`);
for (const x of rows) {
  const shown = x.value === undefined ? 'not measured' : `${x.value.toLocaleString('en-US')} ${x.unit}`;
  const met = x.value === undefined ? '—' : x.target.startsWith('(') ? '' : x.ok(x.value) ? 'yes' : 'NO';
  console.log(`${x.what.padEnd(w)}  ${shown.padStart(16)}  ${x.target.padEnd(20)}  ${met}`);
}
