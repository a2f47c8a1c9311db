// Benchmarks: `npm run bench` (= build the e2e extension, then `node test/bench/run.ts` on Node >= 22, which
// strips the types: erasable TypeScript only, local imports with their `.ts` extension).
//
// Everything is measured inside the extension's own service worker in headless Chromium, where the tracking
// workflow runs:
//   - baseline (a): raw IndexedDB, one row per event, 3 compound indexes, 10 000 puts per transaction → events/s,
//     storing the very events the ingest stores (the feed's 1 M event records, as parsed), only the writes timed;
//     also, as the bench measured it before 2026-11-28, 200 000 short synthetic rows (each in a browser profile of
//     its own: an origin's databases share one LevelDB, which would blur the ingest's bytes and each other's);
//   - baseline (b): JSON.parse of the same feed bytes the ingest read, NDJSON line by line and as one array;
//   - ingest: the real workflow from a loopback feed (measureIngest), then an hourly run of 10 000 more events;
//   - peak JS heap of the worker (CDP Runtime.getHeapUsage, polled) and IndexedDB bytes on disk (du);
//   - file import: a generated SendGrid Event Webhook file (BENCH_IMPORT_EVENTS, default 1 000 000 events, written to
//     a temporary file, never committed) imported through the real tracking-view UI; events/s and the page's peak heap.
// BENCH_ONLY=baseline,ingest,import runs only the sections named (comma-separated); all of them by default.
// Diagnostics: BENCH_PROFILE=<file> / BENCH_PROFILE_HOURLY=<file> write a CPU profile of the worker during the 1 M
// ingest / the hourly run; BENCH_CPU=1 prints the ingest's CPU time by process and thread; BENCH_INGEST_PAGE picks
// the extension page left open during the ingest (default the workflow view, where a user watches a run).
// BENCH_TRACE=<file> writes a Chrome trace of the whole browser during the ingest (./trace.ts); BENCH_JS_FLAGS adds
// V8 flags to the browser's.
// Prints a table and writes bench-results.json (metric → value; null when not measured). Numbers are for
// comparing runs on one machine; CI never runs this (conventions: no wall-clock gates).
import { createWriteStream, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchExtension } from '../e2e/harness.ts';
import type { ExtensionHandle } from '../e2e/harness.ts';
import { makeDataset, startFeedServer, type Dataset } from '../fixtures/feed-server.ts';
import { addFeedSource, readMark, readRuns, runOnce, waitForQuiet } from './store.ts';
import { startTrace } from './trace.ts';
import type { Page } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const IDB_ROWS = Math.min(EVENTS, Number(process.env.BENCH_IDB_ROWS ?? 200_000));
const PUTS_PER_TX = 10_000;
const IMPORT_EVENTS = Number(process.env.BENCH_IMPORT_EVENTS ?? EVENTS);
const SECTIONS = ['baseline', 'ingest', 'import'] as const;
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
for (const name of ONLY) {
  if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown section ${name} (${SECTIONS.join(', ')})`);
}
const runs = (section: (typeof SECTIONS)[number]): boolean => ONLY.length === 0 || ONLY.includes(section);

type Metrics = Record<string, number | null>;

// ---------------------------------------------------------------------------------------------------------------
// Worker heap: a second CDP client on the service worker's target, found through the DevTools HTTP endpoint.

interface HeapProbe {
  /** Highest usedSize seen since the last reset (bytes). */
  peak(): number;
  reset(): void;
  /** CPU profile of the worker (BENCH_PROFILE=<file> profiles the 1 M-event ingest run). */
  startProfile(): Promise<void>;
  stopProfile(): Promise<unknown>;
  close(): void;
}

async function probeWorkerHeap(userDataDir: string, extensionId: string): Promise<HeapProbe> {
  // Chromium writes the port it picked for --remote-debugging-port=0 on the first line of this file.
  const portFile = join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline) throw new Error(`no ${portFile}: was --remote-debugging-port=0 passed?`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = readFileSync(portFile, 'utf8').split('\n')[0]?.trim();
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    type: string;
    url: string;
    webSocketDebuggerUrl?: string;
  }[];
  const target = targets.find(
    (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`) && t.webSocketDebuggerUrl,
  );
  if (!target?.webSocketDebuggerUrl) throw new Error(`no service worker target in /json/list: ${JSON.stringify(targets)}`);

  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((ok, fail) => {
    ws.addEventListener('open', () => ok(), { once: true });
    ws.addEventListener('error', () => fail(new Error('CDP WebSocket to the worker failed')), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: { usedSize?: number; profile?: unknown }) => void>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: { usedSize?: number; profile?: unknown } };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result ?? {});
    if (msg.id !== undefined) pending.delete(msg.id);
  });
  let peak = 0;
  let inFlight = false;
  // While the worker runs synchronous code (a big JSON.parse) it answers only afterwards, so one request at a
  // time; the measured functions pause briefly while holding their data so that a sample sees it.
  const timer = setInterval(() => {
    if (inFlight || ws.readyState !== WebSocket.OPEN) return;
    inFlight = true;
    const id = nextId++;
    pending.set(id, (result) => {
      inFlight = false;
      if (typeof result.usedSize === 'number') peak = Math.max(peak, result.usedSize);
    });
    ws.send(JSON.stringify({ id, method: 'Runtime.getHeapUsage' }));
  }, 50);
  const call = (method: string, params: object = {}): Promise<{ profile?: unknown }> =>
    new Promise((ok) => {
      const id = nextId++;
      pending.set(id, ok);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    peak: () => peak,
    reset: () => {
      peak = 0;
    },
    startProfile: async () => {
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: 200 });
      await call('Profiler.start');
    },
    stopProfile: async () => (await call('Profiler.stop')).profile,
    close: () => {
      clearInterval(timer);
      ws.close();
    },
  };
}

/**
 * Bytes of the extension's IndexedDB in the profile: the LevelDB folder plus the `.blob` folder, where Chromium
 * keeps large values (our segments' typed arrays) as files of their own (0 before they exist).
 */
function indexedDbBytes(userDataDir: string, extensionId: string, only?: 'blob'): number {
  const base = join(userDataDir, 'Default', 'IndexedDB', `chrome-extension_${extensionId}_0.indexeddb`);
  let total = 0;
  for (const dir of only ? [`${base}.${only}`] : [`${base}.leveldb`, `${base}.blob`]) {
    if (existsSync(dir)) total += treeBytes(dir);
  }
  return total;
}

/**
 * Apparent bytes of a folder and everything in it, as `du -sb` counts them. LevelDB renames and deletes its
 * temporary files while it works; a file gone between the listing and its stat is skipped (`du` failed the whole
 * bench on one such file).
 */
function treeBytes(dir: string): number {
  const size = (path: string): number => {
    try {
      return lstatSync(path).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
  };
  let total = size(dir);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? treeBytes(path) : size(path);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// In-worker code. Each function is serialised by Playwright and run in the service worker's global scope: no
// closures over this module. Data shared between steps lives on `globalThis.__bench`.

/** Generates `n` synthetic tracking-log events into globalThis.__bench.events. */
const generateEvents = async (n: number): Promise<number> => {
  const g = globalThis as unknown as { __bench?: { events?: unknown[] }; gc?: () => void };
  const events = new Array(n);
  const t0 = Date.parse('2026-01-05T08:00:00Z');
  const agents = ['Mozilla/5.0 (iPhone)', 'Mozilla/5.0 (Windows NT 10.0)', 'Outlook-iOS/2.0', 'GoogleImageProxy'];
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < n; i++) {
    const click = rand() < 0.3;
    events[i] = {
      id: `evt-${i.toString(36).padStart(8, '0')}`,
      deliveryId: 1 + (i % 24),
      recipientId: Math.floor(rand() * 250_000),
      type: click ? 'click' : 'open',
      ts: t0 + Math.floor(i * 37 + rand() * 1000),
      url: click ? `https://example.com/offer/${i % 40}?utm_source=newsletter` : null,
      ua: agents[i % agents.length],
      ip: `192.0.2.${i % 250}`,
    };
  }
  g.__bench = { events };
  await new Promise((r) => setTimeout(r, 300)); // hold: let the heap probe see them
  return events.length;
};

/**
 * Baseline (a): raw IndexedDB, one row per event keyed by its id, 3 compound indexes (delivery + time, recipient +
 * time, delivery + type + time; `fields` names those fields in the rows), `perTx` puts per transaction; only the
 * transactions are timed. The rows are either the first `rows` events generated by {@link generateEvents}, or (with
 * `url`) every event record of the bench feed, fetched and parsed page by page: the ingest's own events, whose
 * fetching and parsing the baseline gets for free where the ingest's events/s counts them.
 */
const rowBaseline = async ({
  name,
  fields,
  perTx,
  rows,
  url,
}: {
  name: string;
  fields: { delivery: string; recipient: string; type: string; time: string };
  perTx: number;
  rows?: number;
  url?: string;
}): Promise<{ ms: number; rows: number }> => {
  await new Promise<void>((ok, fail) => {
    const del = indexedDB.deleteDatabase(name);
    del.onsuccess = () => ok();
    del.onerror = () => fail(del.error);
  });
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore('events', { keyPath: 'id' });
      store.createIndex('delivery_time', [fields.delivery, fields.time]);
      store.createIndex('recipient_time', [fields.recipient, fields.time]);
      store.createIndex('delivery_type_time', [fields.delivery, fields.type, fields.time]);
    };
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  let ms = 0;
  let stored = 0;
  const put = async (events: readonly unknown[]): Promise<void> => {
    const t = performance.now();
    for (let from = 0; from < events.length; from += perTx) {
      await new Promise<void>((ok, fail) => {
        const tx = db.transaction('events', 'readwrite', { durability: 'default' });
        const store = tx.objectStore('events');
        for (let i = from; i < Math.min(events.length, from + perTx); i++) store.put(events[i]);
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(tx.error);
        tx.onabort = () => fail(tx.error);
      });
    }
    ms += performance.now() - t;
    stored += events.length;
  };
  if (url === undefined) {
    await put((globalThis as unknown as { __bench: { events: unknown[] } }).__bench.events.slice(0, rows));
  } else {
    let cursor: string | null = null;
    for (;;) {
      const u = new URL(url);
      if (cursor !== null) u.searchParams.set('cursor', cursor);
      u.searchParams.set('limit', '50000');
      const res = await fetch(u);
      const body = await res.text();
      cursor = res.headers.get('X-Next-Cursor');
      const events: unknown[] = [];
      for (const line of body.split('\n')) {
        if (!line) continue;
        const r = JSON.parse(line) as { kind?: string };
        if (r.kind === 'event') events.push(r);
      }
      await put(events);
      if (res.headers.get('X-Has-More') !== 'true' || cursor === null) break;
    }
  }
  db.close();
  return { ms, rows: stored };
};

/**
 * Baseline (b): JSON.parse of the very bytes the ingest read — the feed's pages, fetched again by the worker —
 * once as NDJSON line by line (what the feed source does) and once as one JSON array.
 */
const parseBaseline = async ({ url, pages }: { url: string; pages: number }): Promise<{ arrayMs: number; ndjsonMs: number; fetchMs: number; n: number; bodyBytes: number }> => {
  const g = globalThis as unknown as { gc?: () => void };
  const bodies: string[] = [];
  let cursor: string | null = null;
  const t0 = performance.now();
  for (let i = 0; i < pages; i++) {
    const u = new URL(url);
    if (cursor !== null) u.searchParams.set('cursor', cursor);
    u.searchParams.set('limit', '50000');
    const res = await fetch(u);
    bodies.push(await res.text());
    cursor = res.headers.get('X-Next-Cursor');
    if (res.headers.get('X-Has-More') !== 'true' || cursor === null) break;
  }
  const fetchMs = performance.now() - t0;
  g.gc?.();
  let n = 0;
  let bodyBytes = 0;
  const t = performance.now();
  for (const body of bodies) {
    let pos = 0;
    while (pos < body.length) {
      let end = body.indexOf('\n', pos);
      if (end === -1) end = body.length;
      if (end > pos) {
        JSON.parse(body.slice(pos, end));
        n++;
      }
      pos = end + 1;
    }
  }
  const ndjsonMs = performance.now() - t;
  g.gc?.();
  const t2 = performance.now();
  for (const body of bodies) {
    bodyBytes += body.length;
    JSON.parse(`[${body.trimEnd().split('\n').join(',')}]`);
  }
  const arrayMs = performance.now() - t2;
  return { arrayMs, ndjsonMs, fetchMs, n, bodyBytes };
};

// ---------------------------------------------------------------------------------------------------------------

/** Adds a feed source the way the tracking view stores one (the e2e build may reach 127.0.0.1). */
/**
 * CPU time (ms) so far of every thread of Chromium's processes and of this one, keyed "process type/thread name"
 * (Linux /proc): BENCH_CPU=1 prints where the ingest's CPU went (the service worker and the feed thread share the
 * extension's renderer process; IndexedDB runs in the storage service; this process serves the feed).
 */
function cpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  const tick = 1000 / 100; // USER_HZ
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    const mine = Number(pid) === process.pid;
    if (!mine && !cmd.includes('chromium')) continue;
    const kind = mine ? 'bench+feed' : (/--utility-sub-type=(\S+)/.exec(cmd)?.[1] ?? /--type=(\S+)/.exec(cmd)?.[1] ?? 'browser') + (cmd.includes('--extension-process') ? '(ext)' : '');
    let tids: string[];
    try {
      // The process's own total counts its threads that have ended too (the feed thread's ends with the run).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${kind}${PROCESS}`, (out.get(`${kind}${PROCESS}`) ?? 0) + (Number(f[11]) + Number(f[12])) * tick);
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '#');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${kind}/${comm}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) * tick);
        // Time spent runnable but waiting for a core (ns, /proc/…/schedstat's second field).
        const wait = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
        out.set(`${key} (waiting for a core)`, (out.get(`${key} (waiting for a core)`) ?? 0) + wait);
      } catch {
        // the thread ended
      }
    }
  }
  return out;
}

/** Key suffix of a process's total in {@link cpuByThread}. */
const PROCESS = ' (process)';

function printCpu(before: Map<string, number>, after: Map<string, number>): void {
  const delta = new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
  // A process's time not in its live threads: threads that ended during the run.
  for (const [k, v] of [...delta]) {
    if (!k.endsWith(PROCESS)) continue;
    delta.delete(k);
    const kind = k.slice(0, -PROCESS.length);
    let live = 0;
    for (const [t, w] of delta) if (t.startsWith(`${kind}/`) && !t.endsWith('(waiting for a core)')) live += w;
    delta.set(`${kind}/(threads that ended during the run)`, v - live);
  }
  const rows = [...delta].filter(([, v]) => v >= Number(process.env.BENCH_CPU_MIN ?? 30)).sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, v]) => n + v, 0);
  console.log(`CPU during the ingest run, ms by process/thread (total ${Math.round(total)}):`);
  for (const [k, v] of rows) console.log(`  ${String(Math.round(v)).padStart(6)}  ${k}`);
}

/**
 * The real ingest: a feed fixture server on 127.0.0.1 serves `events` events (50 deliveries, 300 000 recipients,
 * realistic user agents) in pages of 50 000; the workflow runs in the extension's service worker; events/s is
 * stored events over the run's own duration (fetch, parse, validate, dedupe, intern, commit, aggregates).
 * Then an hourly-style run adds 10 000 new events to that store.
 */
async function measureIngest(
  ext: ExtensionHandle,
  events: number,
  heap: HeapProbe,
): Promise<{ eventsPerSecond: number; extra: Metrics }> {
  const dataset = feedDataset();
  const server = await startFeedServer({ dataset });
  try {
    const page = await ext.openPage(process.env.BENCH_INGEST_PAGE ?? '/options.html#/workflow');
    await page.evaluate(addFeedSource, { id: 'bench', label: 'Bench feed', url: server.url('/feed') });
    // This process serves the feed, as a remote server would, and holds the dataset: collect its garbage now rather
    // than on the cores the extension is measured on (with --expose-gc, as `npm run bench` runs it).
    (globalThis as { gc?: () => void }).gc?.();
    heap.reset();
    const profileTo = process.env.BENCH_PROFILE;
    if (profileTo) await heap.startProfile();
    const cpu0 = process.env.BENCH_CPU ? cpuByThread() : undefined;
    const stopTrace = process.env.BENCH_TRACE ? await startTrace(ext.userDataDir, process.env.BENCH_TRACE) : undefined;
    const run = await runOnce(page, 10);
    if (stopTrace) await stopTrace();
    if (cpu0) printCpu(cpu0, cpuByThread());
    if (profileTo) writeFileSync(profileTo, JSON.stringify(await heap.stopProfile()));
    const stored = run.sources[0]?.stored ?? 0;
    if (run.status !== 'ok' || stored !== events) throw new Error(`ingest run ${run.status}, stored ${stored} of ${events}`);
    const ms = (run.endedAt ?? Date.now()) - run.startedAt;
    const extra: Metrics = { ingest_events: stored, ingest_run_ms: ms, ingest_heap_peak_bytes: heap.peak() };

    // The same bytes, parsed in the same worker.
    const pages = run.sources[0]?.pages ?? 1;
    const parse = await ext.evalInWorker(parseBaseline, { url: server.url('/feed'), pages });
    extra.json_parse_ndjson_same_bytes_events_per_s = rate(parse.n, parse.ndjsonMs);
    extra.json_parse_array_same_bytes_events_per_s = rate(parse.n, parse.arrayMs);
    extra.feed_bytes_per_event = Math.round(parse.bodyBytes / parse.n);
    // Only fetching the pages (response.text(), nothing parsed): the floor the transfer alone sets.
    extra.fetch_only_same_bytes_events_per_s = rate(parse.n, parse.fetchMs);
    // Fetching and then JSON.parse-ing them, one after the other: what reading the feed costs before anything is kept.
    extra.fetch_and_parse_same_bytes_events_per_s = rate(parse.n, parse.fetchMs + parse.ndjsonMs);

    // An hourly run: 10 000 new events, an hour after the newest, into the store just built.
    let newest = 0;
    for (const e of dataset.events) newest = Math.max(newest, typeof e.time === 'number' ? e.time : Date.parse(e.time));
    const more = makeDataset({ deliveries: 3, recipients: 300_000, events: 10_000, seed: 3, html: false, start: newest + 3_600_000 });
    server.append({
      events: more.events.map((e, i) => ({ ...e, id: `hourly-${i}`, delivery: dataset.deliveries[i % 3]!.id })),
    });
    const hourlyProfile = process.env.BENCH_PROFILE_HOURLY;
    if (hourlyProfile) await heap.startProfile();
    const hourly = await runOnce(page, 10);
    if (hourlyProfile) writeFileSync(hourlyProfile, JSON.stringify(await heap.stopProfile()));
    extra.hourly_10k_run_ms = (hourly.endedAt ?? Date.now()) - hourly.startedAt;
    extra.hourly_10k_stored = hourly.sources[0]?.stored ?? 0;

    // The popup: time from navigation to the health panel drawn (the panel's performance mark), median of 5: right
    // after the runs above (the browser still busy with what they wrote), and once the machine is quiet, as when a
    // user opens it (the target's condition).
    const popupMedian = async (): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const popup = await ext.openPage('/popup.html');
        // The panel sets its mark in an effect, just after it is drawn: wait for the mark, not the element.
        times.push(await readMark(popup, 'tracking-logs:health-shown'));
        await popup.close();
      }
      return Math.round(times.sort((a, b) => a - b)[2]!);
    };
    extra.popup_health_after_runs_ms = await popupMedian();
    const quiet = await waitForQuiet();
    extra.popup_quiet_wait_ms = quiet.waitedMs;
    extra.popup_health_ms = await popupMedian();
    return { eventsPerSecond: rate(stored, ms), extra };
  } finally {
    await server.close();
  }
}

/** The bench feed's data (made once: the row-per-event baseline stores the same events). */
let benchDataset: Dataset | undefined;
const feedDataset = (): Dataset => (benchDataset ??= makeDataset({ deliveries: 50, recipients: 300_000, events: EVENTS, seed: 2, html: false }));

const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000));

// ---------------------------------------------------------------------------------------------------------------
// File import through the tracking view (lib/import): a SendGrid Event Webhook export on disk, chosen in the page's
// file input (Playwright hands Chromium the path: the file is never copied into the test's memory or the page's).

/**
 * Writes a SendGrid Event Webhook export of `n` open/click events as one JSON array (the shape SendGrid POSTs):
 * 50 campaigns (categories), 300 000 recipients, 30 % clicks with `url_offset`, some Apple MPP opens. Streamed to
 * disk in blocks, so generating it never holds the file either. Returns its size in bytes.
 */
async function writeSendGridFile(path: string, n: number): Promise<number> {
  const out = createWriteStream(path);
  const agents = [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
    'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  ];
  const t0 = Date.UTC(2026, 0, 5, 8) / 1000;
  let seed = 7;
  const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  out.write('[\n');
  let block: string[] = [];
  for (let i = 0; i < n; i++) {
    const click = rand() < 0.3;
    const rcp = Math.floor(rand() * 300_000);
    const record: Record<string, unknown> = {
      email: `recipient${rcp}@example.com`,
      timestamp: t0 + Math.floor(i * 2.6),
      'smtp-id': `<${(rcp * 7919).toString(36)}.dfd.64b469@ismtpd-555>`,
      event: click ? 'click' : 'open',
      category: `campaign ${i % 50}`,
      sg_event_id: `${i.toString(36).padStart(8, '0')}-zxFXfs6WA==`,
      sg_message_id: `${(rcp * 7919).toString(36)}.filter0001.16648.5515E0B88.0`,
      useragent: agents[i % agents.length],
      ip: `192.0.2.${i % 250}`,
    };
    if (click) {
      record.url = `https://example.com/offer/${i % 40}?utm_source=newsletter`;
      record.url_offset = { index: i % 2, type: 'html' };
    } else if (i % 3 === 0) {
      record.sg_machine_open = true;
    }
    block.push(JSON.stringify(record));
    if (block.length === 5000 || i === n - 1) {
      if (!out.write(`${block.join(',\n')}${i === n - 1 ? '\n' : ',\n'}`)) await once(out, 'drain');
      block = [];
    }
  }
  out.end(']\n');
  await once(out, 'finish');
  return statSync(path).size;
}

/** Polls the page's JS heap over CDP (Runtime.getHeapUsage), one request at a time. */
async function probePageHeap(ext: ExtensionHandle, page: Page): Promise<{ peak(): number; close(): Promise<void> }> {
  const cdp = await ext.context.newCDPSession(page);
  let peak = 0;
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    cdp.send('Runtime.getHeapUsage').then(
      (r) => {
        peak = Math.max(peak, r.usedSize);
        inFlight = false;
      },
      () => {
        inFlight = false;
      },
    );
  }, 100);
  return {
    peak: () => peak,
    close: async () => {
      clearInterval(timer);
      await cdp.detach().catch(() => undefined);
    },
  };
}

type ImportRun = { trigger: string; status: string; startedAt: number; endedAt?: number; sources: { stored: number; duplicates: number }[] };

/** Imports the file at `path` on the import page: choose it, press Import, wait for the summary; returns the run. */
async function importThroughUi(page: Page, path: string): Promise<{ run: ImportRun; wallMs: number }> {
  const before = (await page.evaluate(readRuns)).length;
  await page.getByTestId('import-file-input').setInputFiles(path);
  await page.getByText('This looks like a SendGrid Event Webhook (JSON) file.').waitFor({ timeout: 60_000 });
  const start = Date.now();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('.import-summary').waitFor({ timeout: 30 * 60_000 });
  const wallMs = Date.now() - start;
  const runs = (await page.evaluate(readRuns)) as unknown as ImportRun[];
  const run = runs.at(-1);
  if (runs.length <= before || !run || run.trigger !== 'import') throw new Error('the import recorded no run');
  return { run, wallMs };
}

async function measureImport(ext: ExtensionHandle, events: number): Promise<Metrics> {
  const dir = mkdtempSync(join(tmpdir(), 'tracking-logs-bench-import-'));
  const path = join(dir, 'sendgrid-events.json');
  try {
    const t = Date.now();
    const bytes = await writeSendGridFile(path, events);
    console.log(`import: wrote ${events.toLocaleString('en-US')} events, ${(bytes / 1e6).toFixed(0)} MB, in ${Date.now() - t} ms`);
    const page = await ext.openPage('/options.html#/sources/import');
    const heap = await probePageHeap(ext, page);
    try {
      const first = await importThroughUi(page, path);
      const stored = first.run.sources[0]?.stored ?? 0;
      if (first.run.status !== 'ok' || stored !== events) {
        throw new Error(`import run ${first.run.status}, stored ${stored} of ${events}`);
      }
      const ms = (first.run.endedAt ?? Date.now()) - first.run.startedAt;
      const out: Metrics = {
        import_events: stored,
        import_file_bytes: bytes,
        import_run_ms: ms,
        import_events_per_s: rate(stored, ms),
        import_mb_per_s: Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10,
        import_wall_ms: first.wallMs,
        import_page_heap_peak_bytes: heap.peak(),
      };
      // The same file again: every event is a duplicate, nothing is added.
      await page.getByRole('button', { name: 'Import another file' }).click();
      const again = await importThroughUi(page, path);
      const againMs = (again.run.endedAt ?? Date.now()) - again.run.startedAt;
      out.import_again_stored = again.run.sources[0]?.stored ?? null;
      out.import_again_duplicates = again.run.sources[0]?.duplicates ?? null;
      out.import_again_events_per_s = rate(events, againMs);
      out.import_page_heap_peak_bytes = heap.peak();
      return out;
    } finally {
      await heap.close();
      await page.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh browser profile with the extension, and a heap probe on its worker. */
async function launchMeasured(): Promise<{ ext: ExtensionHandle; heap: HeapProbe }> {
  const ext = await launchExtension({ args: ['--remote-debugging-port=0', `--js-flags=--expose-gc ${process.env.BENCH_JS_FLAGS ?? ''}`] });
  try {
    await ext.waitForWorker();
    return { ext, heap: await probeWorkerHeap(ext.userDataDir, ext.extensionId) };
  } catch (error) {
    await ext.close();
    throw error;
  }
}

async function main(): Promise<void> {
  const metrics: Metrics = {};

  // The baseline runs in a profile of its own: Chromium keeps an origin's databases in one LevelDB, and the baseline
  // database's files (and their compaction during the ingest) would otherwise count in the ingest's bytes on disk.
  if (runs('baseline')) {
    const { ext, heap } = await launchMeasured();
    try {
      const diskBefore = indexedDbBytes(ext.userDataDir, ext.extensionId);
      heap.reset();
      const generated = await ext.evalInWorker(generateEvents, EVENTS);
      metrics.events_generated = generated;
      metrics.heap_peak_generate_bytes = heap.peak();

      heap.reset();
      const idb = await ext.evalInWorker(rowBaseline, {
        name: 'bench-raw-events',
        fields: { delivery: 'deliveryId', recipient: 'recipientId', type: 'type', time: 'ts' },
        perTx: PUTS_PER_TX,
        rows: IDB_ROWS,
      });
      metrics.idb_raw_rows_timed = idb.rows;
      metrics.idb_raw_events_per_s = rate(idb.rows, idb.ms);
      metrics.heap_peak_idb_bytes = heap.peak();
      // LevelDB flushes its log asynchronously; give it a moment before measuring the folder.
      await new Promise((r) => setTimeout(r, 2000));
      const diskAfter = indexedDbBytes(ext.userDataDir, ext.extensionId);
      metrics.idb_raw_disk_bytes = diskAfter - diskBefore;
      metrics.idb_raw_disk_bytes_per_event = Math.round((diskAfter - diskBefore) / idb.rows);
    } finally {
      heap.close();
      await ext.close();
    }
  }

  // Baseline (a) on the ingest's own events, in a profile of its own too.
  if (runs('baseline')) {
    const { ext, heap } = await launchMeasured();
    const server = await startFeedServer({ dataset: feedDataset() });
    try {
      const diskBefore = indexedDbBytes(ext.userDataDir, ext.extensionId);
      heap.reset();
      const rows = await ext.evalInWorker(rowBaseline, {
        name: 'bench-feed-rows',
        fields: { delivery: 'delivery', recipient: 'recipient', type: 'type', time: 'time' },
        perTx: PUTS_PER_TX,
        url: server.url('/feed'),
      });
      if (rows.rows !== EVENTS) throw new Error(`row-per-event baseline stored ${rows.rows} of ${EVENTS} events`);
      metrics.row_per_event_rows = rows.rows;
      metrics.row_per_event_events_per_s = rate(rows.rows, rows.ms);
      metrics.row_per_event_heap_peak_bytes = heap.peak();
      await new Promise((r) => setTimeout(r, 2000));
      metrics.row_per_event_disk_bytes_per_event = Math.round((indexedDbBytes(ext.userDataDir, ext.extensionId) - diskBefore) / rows.rows);
    } finally {
      await server.close();
      heap.close();
      await ext.close();
    }
  }

  if (runs('ingest') || runs('import')) {
    const { ext, heap } = await launchMeasured();
    try {
      if (runs('ingest')) {
        const diskBeforeIngest = indexedDbBytes(ext.userDataDir, ext.extensionId);
        const ingest = await measureIngest(ext, EVENTS, heap);
        metrics.ingest_events_per_s = ingest.eventsPerSecond;
        Object.assign(metrics, ingest.extra);
        await new Promise((r) => setTimeout(r, 2000));
        const ingestDisk = indexedDbBytes(ext.userDataDir, ext.extensionId) - diskBeforeIngest;
        metrics.ingest_disk_bytes = ingestDisk;
        // Chromium keeps values over 64 KB as files beside the database (its "blob" folder), not in LevelDB.
        metrics.ingest_disk_blob_bytes = indexedDbBytes(ext.userDataDir, ext.extensionId, 'blob');
        metrics.ingest_disk_bytes_per_event = Math.round((ingestDisk / (EVENTS + 10_000)) * 10) / 10;
        const parseRate = metrics.json_parse_ndjson_same_bytes_events_per_s ?? 0;
        // Against the row-per-event table storing the same events; the synthetic rows' figure when only that ran.
        const rowRate = metrics.row_per_event_events_per_s ?? metrics.idb_raw_events_per_s;
        metrics.ratio_ingest_vs_row_per_event = rowRate ? Math.round((ingest.eventsPerSecond / rowRate) * 10) / 10 : null;
        const syntheticRate = metrics.idb_raw_events_per_s;
        metrics.ratio_ingest_vs_row_per_event_synthetic = syntheticRate ? Math.round((ingest.eventsPerSecond / syntheticRate) * 10) / 10 : null;
        metrics.ratio_ingest_vs_json_parse = Math.round((ingest.eventsPerSecond / (parseRate || 1)) * 100) / 100;
        const fetchRate = metrics.fetch_and_parse_same_bytes_events_per_s;
        metrics.ratio_ingest_vs_fetch_and_parse = fetchRate ? Math.round((ingest.eventsPerSecond / fetchRate) * 100) / 100 : null;
      }

      if (runs('import')) Object.assign(metrics, await measureImport(ext, IMPORT_EVENTS));
    } finally {
      heap.close();
      await ext.close();
    }
  }

  const width = Math.max(...Object.keys(metrics).map((k) => k.length));
  const show = (v: number | null): string => (v === null ? 'not measured' : v.toLocaleString('en-US'));
  console.log(`\nTracking Logs bench — ${EVENTS.toLocaleString('en-US')} events, Chromium${ONLY.length ? ` (only: ${ONLY.join(', ')})` : ''}\n`);
  console.log(`${'metric'.padEnd(width)}  value`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(16)}`);
  for (const [key, value] of Object.entries(metrics)) console.log(`${key.padEnd(width)}  ${show(value)}`);
  const out = join(ROOT, 'bench-results.json');
  // With BENCH_ONLY, the sections not run keep their last values in the file.
  const previous: Metrics = ONLY.length && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Metrics) : {};
  writeFileSync(out, `${JSON.stringify({ ...previous, ...metrics }, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
}

await main();
