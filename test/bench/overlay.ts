// Overlay benchmark: `sh scripts/node.sh node test/bench/overlay.ts` after `npm run build:e2e` (npm run bench runs
// it after test/bench/run.ts). Erasable TypeScript only, local imports with their `.ts` extension.
//
// A delivery of BENCH_OVERLAY_EVENTS events (default 1 000 000: ~85 % opens, clicks over 100 links) is ingested
// from a loopback feed; its 100-link email (test/fixtures/emails/long-email.ts) is served from 127.0.0.1 and the
// overlay shown on it, as the popup does, BENCH_OVERLAY_RUNS times. Measured:
//   - draw: the overlay's data arriving in the page (the content script's message handler) → every badge placed
//     (the e2e build's performance.measure "tracking-logs:overlay-drawn"); target < 100 ms;
//   - painted: the same → the next animation frame, after the browser painted the badges;
//   - show: the popup's request → the background's answer (inject into the frames, read the store, match, send).
// Merges its numbers into bench-results.json under "overlay" (run.ts rewrites the file, so it runs first).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { launchExtension } from '../e2e/harness.ts';
import { startEmailServer } from '../fixtures/email-server.ts';
import { longEmail } from '../fixtures/emails/long-email.ts';
import { startFeedServer } from '../fixtures/feed-server.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EVENTS = Number(process.env.BENCH_OVERLAY_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_OVERLAY_RUNS ?? 15);
const LINKS = 100;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! : Number.NaN;
};
const round = (x: number): number => Math.round(x * 10) / 10;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Badges in the page's closed overlay root, counted through the DevTools protocol (pierce). */
async function countBadges(cdp: CDPSession): Promise<number> {
  interface N { attributes?: string[]; children?: N[]; shadowRoots?: N[]; contentDocument?: N }
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: N };
  let n = 0;
  const visit = (x: N): void => {
    const a = x.attributes ?? [];
    for (let i = 0; i < a.length; i += 2) if (a[i] === 'class' && a[i + 1] === 'badge') n++;
    for (const c of [...(x.children ?? []), ...(x.shadowRoots ?? [])]) visit(c);
    if (x.contentDocument) visit(x.contentDocument);
  };
  visit(root);
  return n;
}

async function main(): Promise<void> {
  const { html, dataset } = longEmail(LINKS, EVENTS);
  const feed = await startFeedServer({ dataset });
  const emails = await startEmailServer();
  emails.put('/emails/bench-100.html', html);
  const ext = await launchExtension({ locale: 'en' });
  try {
    const form = await ext.openPage('/options.html#/sources/new');
    await form.getByLabel('Name', { exact: true }).fill('Bench feed');
    await form.getByLabel('Feed URL').fill(feed.url('/feed'));
    await form.getByRole('button', { name: 'Add source' }).click();
    const ingestStart = Date.now();
    await waitFor(
      'the feed to be ingested',
      () =>
        form.evaluate(async () => {
          const db = await new Promise<IDBDatabase>((ok, fail) => {
            const r = indexedDB.open('tracking-logs');
            r.onsuccess = () => ok(r.result);
            r.onerror = () => fail(r.error);
          });
          const runs = await new Promise<{ status: string }[]>((ok) => {
            const q = db.transaction('runs').objectStore('runs').getAll();
            q.onsuccess = () => ok(q.result as { status: string }[]);
          });
          db.close();
          return runs.some((r) => r.status === 'ok') ? true : undefined;
        }),
      600_000,
    );
    const ingestMs = Date.now() - ingestStart;
    const control: Page = await ext.openPage('/popup.html');
    const page = await ext.context.newPage();
    await page.goto(emails.url('/emails/bench-100.html'), { waitUntil: 'load' });
    const cdp = await ext.context.newCDPSession(page);

    const draw: number[] = [];
    const painted: number[] = [];
    const show: number[] = [];
    let badges = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      const res = await control.evaluate(async (url) => {
        const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
        const reply = (await chrome.runtime.sendMessage({ id: 1, type: 'overlayShow', data: { tabId: tab!.id }, timestamp: Date.now() })) as {
          res?: { matched: number; total: number };
          err?: unknown;
        };
        if (reply.err) throw new Error(JSON.stringify(reply.err));
        return reply.res!;
      }, page.url());
      show.push(Date.now() - t0);
      if (res.matched !== LINKS) throw new Error(`matched ${res.matched} of ${res.total} links, expected ${LINKS}`);
      const entries = await waitFor(
        'the overlay to be painted',
        () =>
          page.evaluate((n) => {
            const d = performance.getEntriesByName('tracking-logs:overlay-drawn');
            const p = performance.getEntriesByName('tracking-logs:overlay-painted');
            return p.length >= n ? { drawn: d.at(-1)!.duration, painted: p.at(-1)!.duration } : undefined;
          }, i + 1),
        30_000,
      );
      draw.push(entries.drawn);
      painted.push(entries.painted);
      if (i === 0) badges = await countBadges(cdp);
    }

    const overlay = {
      events: EVENTS,
      links: LINKS,
      badges_drawn: badges,
      runs: RUNS,
      ingest_ms: ingestMs,
      draw_ms_median: round(median(draw)),
      draw_ms_p95: round(p95(draw)),
      draw_ms_max: round(Math.max(...draw)),
      painted_ms_median: round(median(painted)),
      painted_ms_p95: round(p95(painted)),
      show_roundtrip_ms_median: round(median(show)),
      show_roundtrip_ms_p95: round(p95(show)),
      target_draw_ms: 100,
    };
    console.log(`\nTracking Logs overlay bench — ${LINKS}-link email, delivery of ${EVENTS.toLocaleString('en-US')} events\n`);
    for (const [k, v] of Object.entries(overlay)) console.log(`${k.padEnd(26)}  ${v.toLocaleString('en-US')}`);
    const out = join(ROOT, 'bench-results.json');
    const merged = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    merged.overlay = overlay;
    writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(`\nmerged into ${out} under "overlay"`);
    if (badges !== LINKS) throw new Error(`${badges} badges drawn, expected ${LINKS}`);
  } finally {
    await ext.close();
    await feed.close();
    await emails.close();
  }
}

await main();
