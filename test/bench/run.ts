// Benchmarks: `npm run bench` (= build the e2e extension, then `node test/bench/run.ts` on Node >= 22, which
// strips the types: erasable TypeScript only, local imports with their `.ts` extension).
//
// Everything is measured inside the extension's own service worker in headless Chromium, where the tracking
// workflow runs:
//   - baseline (a): raw IndexedDB, one row per event, 3 compound indexes, 10 000 puts per transaction → events/s;
//   - baseline (b): JSON.parse of the same events as one JSON array, and as NDJSON line by line → events/s;
//   - ingest: the real workflow (see measureIngest, not written yet);
//   - peak JS heap of the worker (CDP Runtime.getHeapUsage, polled) and IndexedDB bytes on disk (du).
// Prints a table and writes bench-results.json (metric → value; null when not measured). Numbers are for
// comparing runs on one machine; CI never runs this (conventions: no wall-clock gates).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchExtension } from '../e2e/harness.ts';
import type { ExtensionHandle } from '../e2e/harness.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const IDB_ROWS = Math.min(EVENTS, Number(process.env.BENCH_IDB_ROWS ?? 200_000));
const PUTS_PER_TX = 10_000;

type Metrics = Record<string, number | null>;

// ---------------------------------------------------------------------------------------------------------------
// Worker heap: a second CDP client on the service worker's target, found through the DevTools HTTP endpoint.

interface HeapProbe {
  /** Highest usedSize seen since the last reset (bytes). */
  peak(): number;
  reset(): void;
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
  const pending = new Map<number, (result: { usedSize?: number }) => void>();
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(String(event.data)) as { id?: number; result?: { usedSize?: number } };
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
  return {
    peak: () => peak,
    reset: () => {
      peak = 0;
    },
    close: () => {
      clearInterval(timer);
      ws.close();
    },
  };
}

/** Bytes of the extension's IndexedDB folder in the profile (0 before it exists). */
function indexedDbBytes(userDataDir: string, extensionId: string): number {
  const dir = join(userDataDir, 'Default', 'IndexedDB', `chrome-extension_${extensionId}_0.indexeddb.leveldb`);
  if (!existsSync(dir)) return 0;
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
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

/** Baseline (a): raw IndexedDB, one row per event, 3 compound indexes, `perTx` puts per transaction. */
const idbBaseline = async ({ rows, perTx }: { rows: number; perTx: number }): Promise<{ ms: number; rows: number }> => {
  const events = (globalThis as unknown as { __bench: { events: unknown[] } }).__bench.events;
  const name = 'bench-raw-events';
  await new Promise<void>((ok, fail) => {
    const del = indexedDB.deleteDatabase(name);
    del.onsuccess = () => ok();
    del.onerror = () => fail(del.error);
  });
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore('events', { keyPath: 'id' });
      store.createIndex('delivery_ts', ['deliveryId', 'ts']);
      store.createIndex('recipient_ts', ['recipientId', 'ts']);
      store.createIndex('delivery_type_ts', ['deliveryId', 'type', 'ts']);
    };
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
  const start = performance.now();
  for (let from = 0; from < rows; from += perTx) {
    await new Promise<void>((ok, fail) => {
      const tx = db.transaction('events', 'readwrite', { durability: 'default' });
      const store = tx.objectStore('events');
      for (let i = from; i < Math.min(rows, from + perTx); i++) store.put(events[i]);
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
      tx.onabort = () => fail(tx.error);
    });
  }
  const ms = performance.now() - start;
  db.close();
  return { ms, rows };
};

/** Baseline (b): the events as a response body, parsed as one JSON array and as NDJSON lines. */
const parseBaseline = async (): Promise<{ arrayMs: number; ndjsonMs: number; n: number; bodyBytes: number }> => {
  const g = globalThis as unknown as { __bench: { events: unknown[] }; gc?: () => void };
  const lines = g.__bench.events.map((e) => JSON.stringify(e));
  const ndjson = lines.join('\n');
  const array = `[${lines.join(',')}]`;
  lines.length = 0;
  g.gc?.();
  const hold = () => new Promise((r) => setTimeout(r, 300));

  // One JSON array: the parsed copy lives only inside this function, so it is garbage once it returns.
  const parseArray = async (): Promise<{ ms: number; n: number }> => {
    const t = performance.now();
    const parsed = JSON.parse(array) as unknown[];
    const ms = performance.now() - t;
    await hold(); // the heap probe sees body + parsed array
    return { ms, n: parsed.length };
  };
  const { ms: arrayMs, n } = await parseArray();
  g.gc?.();

  const t = performance.now();
  const out: unknown[] = [];
  let pos = 0;
  while (pos < ndjson.length) {
    let end = ndjson.indexOf('\n', pos);
    if (end === -1) end = ndjson.length;
    out.push(JSON.parse(ndjson.slice(pos, end)));
    pos = end + 1;
  }
  const ndjsonMs = performance.now() - t;
  await hold();
  if (out.length !== n) throw new Error(`NDJSON gave ${out.length} events, the array ${n}`);
  return { arrayMs, ndjsonMs, n, bodyBytes: new TextEncoder().encode(ndjson).length };
};

const releaseEvents = async (): Promise<void> => {
  const g = globalThis as unknown as { __bench?: unknown; gc?: () => void };
  delete g.__bench;
  g.gc?.();
};

// ---------------------------------------------------------------------------------------------------------------

/**
 * ▶▶ TO FILL IN: the real ingest. Start the feed fixture server (test/fixtures) with `events` events, add it as a
 * source (through the extension's messages, as the options page does), trigger a workflow run ("Run now"), wait
 * for it to finish (test/e2e/store.ts waitForStore), and return events/s plus anything else worth a row.
 * Return null while it is not written: the row then says "not measured".
 */
async function measureIngest(
  _ext: ExtensionHandle,
  _events: number,
): Promise<{ eventsPerSecond: number; extra?: Metrics } | null> {
  return null;
}

const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000));

async function main(): Promise<void> {
  const metrics: Metrics = {};
  const ext = await launchExtension({ args: ['--remote-debugging-port=0', '--js-flags=--expose-gc'] });
  let heap: HeapProbe | undefined;
  try {
    await ext.waitForWorker();
    heap = await probeWorkerHeap(ext.userDataDir, ext.extensionId);
    const diskBefore = indexedDbBytes(ext.userDataDir, ext.extensionId);

    heap.reset();
    const generated = await ext.evalInWorker(generateEvents, EVENTS);
    metrics.events_generated = generated;
    metrics.heap_peak_generate_bytes = heap.peak();

    heap.reset();
    const idb = await ext.evalInWorker(idbBaseline, { rows: IDB_ROWS, perTx: PUTS_PER_TX });
    metrics.idb_raw_rows_timed = idb.rows;
    metrics.idb_raw_events_per_s = rate(idb.rows, idb.ms);
    metrics.heap_peak_idb_bytes = heap.peak();
    // LevelDB flushes its log asynchronously; give it a moment before measuring the folder.
    await new Promise((r) => setTimeout(r, 2000));
    const diskAfter = indexedDbBytes(ext.userDataDir, ext.extensionId);
    metrics.idb_raw_disk_bytes = diskAfter - diskBefore;
    metrics.idb_raw_disk_bytes_per_event = Math.round((diskAfter - diskBefore) / idb.rows);

    heap.reset();
    const parse = await ext.evalInWorker(parseBaseline, null);
    metrics.json_array_parse_events_per_s = rate(parse.n, parse.arrayMs);
    metrics.ndjson_line_parse_events_per_s = rate(parse.n, parse.ndjsonMs);
    metrics.ndjson_body_bytes = parse.bodyBytes;
    metrics.heap_peak_parse_bytes = heap.peak();
    await ext.evalInWorker(releaseEvents, null);

    heap.reset();
    const diskBeforeIngest = indexedDbBytes(ext.userDataDir, ext.extensionId);
    const ingest = await measureIngest(ext, EVENTS);
    metrics.ingest_events_per_s = ingest?.eventsPerSecond ?? null;
    metrics.ingest_heap_peak_bytes = ingest ? heap.peak() : null;
    metrics.ingest_disk_bytes = ingest ? indexedDbBytes(ext.userDataDir, ext.extensionId) - diskBeforeIngest : null;
    Object.assign(metrics, ingest?.extra ?? {});
  } finally {
    heap?.close();
    await ext.close();
  }

  const width = Math.max(...Object.keys(metrics).map((k) => k.length));
  const show = (v: number | null): string => (v === null ? 'not measured' : v.toLocaleString('en-US'));
  console.log(`\nTracking Logs bench — ${EVENTS.toLocaleString('en-US')} events, Chromium service worker\n`);
  console.log(`${'metric'.padEnd(width)}  value`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(16)}`);
  for (const [key, value] of Object.entries(metrics)) console.log(`${key.padEnd(width)}  ${show(value)}`);
  const out = join(ROOT, 'bench-results.json');
  writeFileSync(out, `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`\nwritten to ${out}`);
}

await main();
