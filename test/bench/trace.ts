// BENCH_TRACE=<file>: a Chrome trace of the whole browser (every process and thread) while the ingest runs, for
// chrome://tracing or Perfetto. It showed where the extension renderer's main thread went during a 1 M-event ingest
// (live queries of the open tracking view re-reading after every page; components/use-live-query.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
