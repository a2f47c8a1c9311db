import { openDb, type RunRow, type TrackingDb } from '../../../../lib/db/schema';
import { dictionaryKeys } from '../../../../lib/db/dictionary';
import type { EventInput, Page, SourceAdapter } from '../../../../lib/sources/source';
import type { WorkflowDeps } from '../../../../lib/workflow/run';
import type { StoreWriter } from '../../../../lib/workflow/store-writer';

let dbCounter = 0;
/** A fresh fake-indexeddb database per test. */
export function freshDb(): TrackingDb {
  dbCounter++;
  return openDb(`test-${Date.now()}-${dbCounter}`);
}

export function makeEvents(n: number, opts: { delivery?: string; start?: number; prefix?: string } = {}): EventInput[] {
  const start = opts.start ?? Date.UTC(2026, 10, 20, 9);
  const events: EventInput[] = [];
  for (let i = 0; i < n; i++) {
    const type = i % 5 === 0 ? 1 : 2;
    events.push({
      id: `${opts.prefix ?? 'e'}${i}`,
      deliveryExtId: opts.delivery ?? 'D1',
      recipient: `r${i % 97}@example.com`,
      type,
      time: start + i * 61_000,
      urlExtId: type === 1 ? `U${i % 3}` : undefined,
      userAgent: `UA ${i % 7}`,
    });
  }
  return events;
}

/** A source that serves fixed pages of events; the cursor is the page index. */
export function pagedAdapter(
  events: EventInput[],
  pageSize: number,
  hooks: { beforePage?: (index: number) => void } = {},
): SourceAdapter {
  return {
    kind: 'feed',
    async fetchPage(ctx): Promise<Page> {
      const index = ctx.cursor === null ? 0 : Number(ctx.cursor);
      hooks.beforePage?.(index);
      const slice = events.slice(index * pageSize, (index + 1) * pageSize);
      const done = (index + 1) * pageSize >= events.length;
      return {
        records: {
          deliveries:
            index === 0
              ? [{ extId: 'D1', label: 'November', trackingEnabled: true, toDeliver: 100, delivered: 98, textOnly: 0 }]
              : [],
          urls:
            index === 0
              ? [0, 1, 2].map((u) => ({ deliveryExtId: 'D1', extId: `U${u}`, type: 1, url: `https://x.example/${u}` }))
              : [],
          events: slice,
        },
        rejected: [],
        rejectedCount: 0,
        nextCursor: String(index + 1),
        done,
        fetched: slice.length,
      };
    },
  };
}

export function deps(db: TrackingDb, adapter: SourceAdapter, extra: Partial<WorkflowDeps> = {}): WorkflowDeps {
  let clock = Date.UTC(2026, 10, 27, 10);
  return {
    db,
    adapters: { feed: adapter },
    fetch: () => Promise.reject(new Error('no network in unit tests')),
    now: () => (clock += 10),
    sleep: async () => undefined,
    getSecret: async () => undefined,
    ...extra,
  };
}

export async function addFeed(db: TrackingDb, id = 'src-1'): Promise<void> {
  await db.sources.add({
    id,
    kind: 'feed',
    label: 'Test feed',
    enabled: true,
    config: { url: 'http://127.0.0.1/feed' },
    cursor: null,
    createdAt: 0,
  });
}

/** Everything a view could read, in a comparable form (ids and run bookkeeping left out). */
export async function snapshot(db: TrackingDb): Promise<unknown> {
  const aggregates = await db.aggregates.toArray();
  const segments = await db.segments.toArray();
  // Row ids depend on arrival order; compare by the source's own URL ids.
  const urlExt = new Map((await db.urls.toArray()).map((u) => [u.id, u.extId]));
  const events = segments
    .flatMap((s) =>
      Array.from(
        { length: s.n },
        (_, i) => `${s.deliveryId}|${s.t[i]}|${s.rcp[i]}|${s.type[i]}|${urlExt.get(s.url[i]!) ?? '-'}|${s.flags[i]}|${s.h[i]}`,
      ),
    )
    .sort();
  return {
    totals: aggregates.map((a) => ({ d: a.deliveryId, ...a.totals })),
    links: aggregates.map((a) => Object.fromEntries(Array.from(a.linkIds, (id, i) => [urlExt.get(id), a.linkCounts[i]]))),
    events,
    recipients: (await dictionaryKeys(db, 'recipients')).length - 1,
    cursor: (await db.sources.toArray()).map((s) => s.cursor),
  };
}

/**
 * Commits `events` through `writer()` in pages of `pageSize`, each as `toPage` makes its events (as they are by
 * default), for tests that drive the StoreWriter without a source. `writer` is asked for the writer of each page.
 */
export async function commitInPages(
  db: TrackingDb,
  sourceId: string,
  events: EventInput[],
  pageSize: number,
  writer: (page: number) => Promise<StoreWriter>,
  toPage: (slice: EventInput[]) => Page['records']['events'] = (slice) => slice,
): Promise<void> {
  const source = (await db.sources.get(sourceId))!;
  const run = (): RunRow => ({ trigger: 'manual', startedAt: 0, heartbeat: 0, status: 'running', sources: [], log: [], rejectedSamples: [] });
  for (let from = 0, page = 0; from < events.length; from += pageSize, page++) {
    const slice = events.slice(from, from + pageSize);
    const p: Page = {
      records: { deliveries: [], urls: [], events: toPage(slice) },
      rejected: [],
      rejectedCount: 0,
      nextCursor: String(page + 1),
      done: from + pageSize >= events.length,
      fetched: slice.length,
    };
    await (await writer(page)).commitPage(source, p, run);
  }
}
