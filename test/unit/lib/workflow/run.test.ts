import type { TrackingDb } from '../../../../lib/db/schema';
import { loadDeliveryEvents } from '../../../../lib/db/events';
import { narrow } from '../../../../lib/workflow/store-writer';
import { describe, expect, it } from 'vitest';
import { markInterruptedRuns, runWorkflow, MAX_REJECTED_SAMPLES } from '../../../../lib/workflow/run';
import type { EventInput, Page, SourceAdapter } from '../../../../lib/sources/source';
import { SourceError } from '../../../../lib/sources/source';
import { addFeed, deps, freshDb, makeEvents, pagedAdapter, snapshot } from './helpers';
import { eventCount } from '../../../../lib/sources/packed-events';
import { issueText } from '../../../../lib/i18n';
import { isStorageFull } from '../../../../lib/workflow/issues';
import { installI18n } from '../../helpers/fake-i18n';

describe('tracking workflow run', () => {
  it('ingests every page, commits the cursor and records the run', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(1000);
    const run = await runWorkflow(deps(db, pagedAdapter(events, 300)), 'manual');
    expect(run.status).toBe('ok');
    expect(run.sources[0]).toMatchObject({ pages: 4, fetched: 1000, stored: 1000, duplicates: 0, ok: true, done: true });
    const segments = await db.segments.toArray();
    expect(segments.reduce((n, s) => n + s.n, 0)).toBe(1000);
    expect((await db.sources.get('src-1'))?.cursor).toBe('4');
    expect((await db.sources.get('src-1'))?.last).toMatchObject({ ok: true, added: 1000 });
    const agg = (await db.aggregates.toArray())[0]!;
    expect(agg.totals.events).toBe(1000);
    expect(agg.totals.totalRecipientClick).toBe(200);
    expect(agg.totals.recipientOpen).toBe(97);
  });

  it('stores no IP column for a segment without client IPs, and one where any event has an IP', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(600).map((e, i) => (i >= 300 && i % 50 === 0 ? { ...e, ip: '192.0.2.1' } : e));
    await runWorkflow(deps(db, pagedAdapter(events, 300)), 'manual');
    const segments = await db.segments.orderBy(':id').toArray();
    expect(segments.map((s) => s.ip === undefined)).toEqual([true, false]);
    // Few ids: the id columns are stored in 16 bits, and read back as the same numbers.
    expect(segments.every((s) => s.url instanceof Uint16Array && s.ua instanceof Uint16Array)).toBe(true);
    expect(segments[1]!.ip).toBeInstanceOf(Uint16Array);
    const cols = await loadDeliveryEvents(db, 1);
    expect(Array.from(cols.ip).filter((x) => x !== 0)).toHaveLength(6);
    expect(new Set(cols.ua).size).toBe(7);
    expect(Array.from(cols.url).filter((x) => x !== 0)).toHaveLength(120);
  });

  it('narrows an id column to 16 bits only when every id fits', () => {
    expect(narrow(Uint32Array.from([0, 1, 65_535]))).toEqual(Uint16Array.from([0, 1, 65_535]));
    const wide = Uint32Array.from([0, 65_536]);
    expect(narrow(wide)).toBe(wide);
  });

  it('counts nothing twice when the same pages come again', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(500);
    await runWorkflow(deps(db, pagedAdapter(events, 200)), 'manual');
    const once = await snapshot(db);
    // The source forgets its cursor (or a provider re-reads a trailing window): every page comes back.
    await db.sources.update('src-1', { cursor: null });
    const again = await runWorkflow(deps(db, pagedAdapter(events, 200)), 'manual');
    expect(again.sources[0]).toMatchObject({ stored: 0, duplicates: 500 });
    expect(await snapshot(db)).toEqual(once);
  });

  it('absorbs overlapping pages', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(300);
    // Pages overlap by 50 events: [0,150), [100,250), [200,300).
    const pages = [events.slice(0, 150), events.slice(100, 250), events.slice(200, 300)];
    const adapter: SourceAdapter = {
      kind: 'feed',
      async fetchPage(ctx): Promise<Page> {
        const i = ctx.cursor === null ? 0 : Number(ctx.cursor);
        return {
          records: { deliveries: [], urls: [], events: pages[i]! },
          rejected: [],
          rejectedCount: 0,
          nextCursor: String(i + 1),
          done: i === 2,
          fetched: pages[i]!.length,
        };
      },
    };
    const run = await runWorkflow(deps(db, adapter), 'manual');
    expect(run.sources[0]).toMatchObject({ stored: 300, duplicates: 100 });
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(events, 1000)), 'manual');
    const a = (await snapshot(db)) as { totals: unknown; events: unknown };
    const b = (await snapshot(clean)) as { totals: unknown; events: unknown };
    expect(a.events).toEqual(b.events);
    expect(a.totals).toEqual(b.totals);
  });

  it('quarantines bad records, keeps 20 samples, and still stores the rest', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(100);
    const adapter: SourceAdapter = {
      kind: 'feed',
      async fetchPage(): Promise<Page> {
        return {
          records: { deliveries: [], urls: [], events },
          rejected: Array.from({ length: 30 }, (_, i) => ({ reason: `time: not a date (${i})`, sample: `{"id":${i}}` })),
          rejectedCount: 35,
          nextCursor: 'end',
          done: true,
          fetched: 135,
        };
      },
    };
    const run = await runWorkflow(deps(db, adapter), 'alarm');
    expect(run.status).toBe('warning');
    expect(run.sources[0]).toMatchObject({ stored: 100, rejected: 35, fetched: 135 });
    expect(run.rejectedSamples).toHaveLength(MAX_REJECTED_SAMPLES);
    expect(run.log.find((i) => i.code === 'rejected')?.params).toEqual({ count: 35 });
  });

  it('fails one source with its reason and goes on with the others', async () => {
    const db = freshDb();
    await addFeed(db, 'a-broken');
    await addFeed(db, 'b-fine');
    const good = pagedAdapter(makeEvents(50), 100);
    const adapter: SourceAdapter = {
      kind: 'feed',
      async fetchPage(ctx): Promise<Page> {
        if ((ctx.config as { url: string }).url.includes('broken')) throw new SourceError('unauthorized');
        return good.fetchPage(ctx);
      },
    };
    await db.sources.update('a-broken', { config: { url: 'http://127.0.0.1/broken' } });
    const run = await runWorkflow(deps(db, adapter), 'alarm');
    expect(run.status).toBe('error');
    expect(run.sources.map((s) => s.ok)).toEqual([false, true]);
    expect(run.log).toContainEqual(expect.objectContaining({ level: 'error', code: 'unauthorized', sourceId: 'a-broken' }));
    expect((await db.sources.get('a-broken'))?.last?.error?.code).toBe('unauthorized');
    expect((await db.sources.get('b-fine'))?.last).toMatchObject({ ok: true, added: 50 });
  });

  it('after a run cut off mid-way, the next run resumes from the committed cursor and ends as one clean run', async () => {
    const events = makeEvents(1000);
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(events, 100)), 'manual');

    const db = freshDb();
    await addFeed(db);
    let dies = true;
    const dying = pagedAdapter(events, 100, {
      beforePage: (i) => {
        if (dies && i === 6) throw new Error('worker stopped');
      },
    });
    const first = await runWorkflow(deps(db, dying), 'manual');
    expect(first.status).toBe('error');
    expect((await db.sources.get('src-1'))?.cursor).toBe('6');
    dies = false;
    const second = await runWorkflow(deps(db, dying), 'startup');
    expect(second.sources[0]).toMatchObject({ stored: 400, duplicates: 0 });
    expect(await snapshot(db)).toEqual(await snapshot(clean));
  });

  it('marks runs left running by a stopped worker as interrupted', async () => {
    const db = freshDb();
    await db.runs.add({ trigger: 'alarm', startedAt: 1, heartbeat: 5, status: 'running', sources: [], log: [], rejectedSamples: [] });
    expect(await markInterruptedRuns(db, 10)).toBe(1);
    const run = (await db.runs.toArray())[0]!;
    expect(run.status).toBe('interrupted');
    expect(run.endedAt).toBe(5);
    expect(run.log[0]?.code).toBe('interrupted');
  });
});

describe('service-worker time limit', () => {
  it('stops paging when the run is over its time, keeps what it stored, and the next run goes on', async () => {
    const db = freshDb();
    await addFeed(db);
    const events = makeEvents(600);
    const first = await runWorkflow(deps(db, pagedAdapter(events, 100), { maxRunMs: 0 }), 'alarm');
    expect(first.status).toBe('warning');
    expect(first.log.map((i) => i.code)).toContain('page-limit');
    expect(first.sources[0]).toMatchObject({ pages: 1, stored: 100, done: false });
    expect((await db.sources.get('src-1'))?.cursor).toBe('1');
    const second = await runWorkflow(deps(db, pagedAdapter(events, 100)), 'alarm');
    expect(second.sources[0]).toMatchObject({ stored: 500, duplicates: 0, done: true });
  });
});

describe('aggregates as a cache of the segments', () => {
  it('replays segments stored after the aggregate was last saved, so a lost save costs nothing', async () => {
    const all = makeEvents(900);
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(all, 300)), 'manual');

    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(all.slice(0, 300), 300)), 'manual');
    const saved = await db.aggregates.toArray();
    await db.sources.update('src-1', { cursor: null });
    await runWorkflow(deps(db, pagedAdapter(all.slice(0, 600), 300)), 'manual');
    // As if the worker had been stopped after the segments of 300..600 were committed but before their aggregates.
    await db.aggregates.bulkPut(saved);
    await db.sources.update('src-1', { cursor: null });
    await runWorkflow(deps(db, pagedAdapter(all, 300)), 'manual');
    expect(await snapshot(db)).toEqual(await snapshot(clean));
  });
});

/** Makes the 4th segment write of `db` fail (the 4th page of one-segment pages); returns the hook to unsubscribe. */
function failFourthSegmentWrite(db: TrackingDb): () => void {
  let writes = 0;
  const fail = (): void => {
    writes++;
    if (writes === 4) throw new Error('disk full');
  };
  db.segments.hook('creating', fail);
  return fail;
}

describe('a full disk', () => {
  it('says the browser could store no more, not that something went wrong inside, and the next run goes on', async () => {
    const events = makeEvents(1000);
    const db = freshDb();
    await addFeed(db);
    let writes = 0;
    const full = (): void => {
      if (++writes === 4) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    db.segments.hook('creating', full);
    const run = await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    expect(run.status).toBe('error');
    const issue = run.log.find((i) => i.level === 'error')!;
    expect(issue).toMatchObject({ code: 'storage-full', sourceId: 'src-1' });
    installI18n('en');
    expect(issueText(issue)).toMatch(/^The browser could not store more tracking data: the disk is full/);
    installI18n('sv');
    expect(issueText(issue)).toMatch(/^Webbläsaren kunde inte spara mer spårningsdata/);
    expect((await db.sources.get('src-1'))?.last).toMatchObject({ ok: false, added: 300, error: { code: 'storage-full' } });
    expect(run.sources[0]).toMatchObject({ stored: 300, ok: false });
    // Room again: the next run stores the rest.
    db.segments.hook('creating').unsubscribe(full);
    const second = await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    expect(second.sources[0]).toMatchObject({ stored: 700, duplicates: 0, ok: true });
  });

  it('finds the quota error as thrown, inside Dexie’s wrapper, or as a cause; nothing else is one', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isStorageFull(quota)).toBe(true);
    expect(isStorageFull(Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quota }))).toBe(true);
    expect(isStorageFull(new Error('write failed', { cause: quota }))).toBe(true);
    expect(isStorageFull(new Error('disk full'))).toBe(false);
    expect(isStorageFull(new DOMException('gone', 'NotFoundError'))).toBe(false);
    expect(isStorageFull(undefined)).toBe(false);
  });
});

describe('pipelined commits', () => {
  it('a failed page write ends the source with an error and the cursor stays at the last stored page', async () => {
    const events = makeEvents(1000);
    const db = freshDb();
    await addFeed(db);
    const failFourth = failFourthSegmentWrite(db);
    const run = await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    expect(run.status).toBe('error');
    expect(run.sources[0]!.ok).toBe(false);
    // Pages 1–3 are stored with their cursor; nothing of page 4 or later.
    expect((await db.sources.get('src-1'))?.cursor).toBe('3');
    const stored = (await db.segments.toArray()).reduce((n, s) => n + s.n, 0);
    expect(stored).toBe(300);
    // The run says so too: the pages prepared while page 4 was being written were counted then, and are not now.
    expect(run.sources[0]!.stored).toBe(300);
    expect((await db.runs.get(run.id!))?.sources[0]?.stored).toBe(300);
    expect((await db.sources.get('src-1'))?.last?.added).toBe(300);
    // The next run goes on from there and ends equal to a clean run.
    db.segments.hook('creating').unsubscribe(failFourth);
    const second = await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    expect(second.sources[0]).toMatchObject({ stored: 700, duplicates: 0 });
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(events, 100)), 'manual');
    expect(await snapshot(db)).toEqual(await snapshot(clean));
  });

  it('stores a URL met only in a click with the page that brings it, and not without it', async () => {
    // Clicks by their URL alone (no URL record), a new URL on every page of 100 events.
    const events = makeEvents(1000).map((e, i) =>
      e.type === 1 ? { ...e, urlExtId: undefined, url: `https://shop.example/page-${Math.floor(i / 100)}` } : e,
    );
    const db = freshDb();
    await addFeed(db);
    const failFourth = failFourthSegmentWrite(db);
    await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    const urls = (await db.urls.toArray()).map((u) => u.extId).filter((x) => x.startsWith('https://shop.'));
    // Pages 0–2 are stored with their URLs; page 3's URL went nowhere with its page.
    expect(urls.sort()).toEqual(['https://shop.example/page-0', 'https://shop.example/page-1', 'https://shop.example/page-2']);
    db.segments.hook('creating').unsubscribe(failFourth);
    await runWorkflow(deps(db, pagedAdapter(events, 100)), 'manual');
    const byId = new Map((await db.urls.toArray()).map((u) => [u.id!, u]));
    expect(byId.size).toBe(3 + 10);
    // Every click of every segment names a stored URL row of its own delivery.
    for (const seg of await db.segments.toArray()) {
      for (let i = 0; i < seg.n; i++) {
        if (seg.type[i] !== 1) continue;
        expect(byId.get(seg.url[i]!)?.deliveryId).toBe(seg.deliveryId);
      }
    }
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(events, 100)), 'manual');
    expect(await snapshot(db)).toEqual(await snapshot(clean));
  });
});

describe('deliveries and tracked URLs', () => {
  it('merges a record given twice in a page, fills a placeholder delivery in later, and keeps ids across pages', async () => {
    const clicksOnU1 = (events: EventInput[]): EventInput[] => events.map((e) => (e.urlExtId ? { ...e, urlExtId: 'U1' } : e));
    const pages: Page['records'][] = [
      {
        deliveries: [
          { extId: 'D1', label: 'A', trackingEnabled: true, toDeliver: 10 },
          { extId: 'D1', label: 'B', subject: 's', trackingEnabled: true },
        ],
        urls: [
          { deliveryExtId: 'D2', extId: 'U1', type: 1, url: 'https://x.example/d2' },
          { deliveryExtId: 'D1', extId: 'U1', type: 1, url: 'https://x.example/1', label: 'x' },
          { deliveryExtId: 'D1', extId: 'U1', type: 1, url: 'https://x.example/1', category: 'c' },
        ],
        events: clicksOnU1(makeEvents(20, { delivery: 'D1' })),
      },
      {
        deliveries: [{ extId: 'D2', label: 'Real D2', trackingEnabled: false, html: '<p>hi</p>' }],
        urls: [{ deliveryExtId: 'D1', extId: 'U1', type: 1, url: 'https://x.example/1?v=2' }],
        events: clicksOnU1(makeEvents(20, { delivery: 'D2', prefix: 'p2-' })),
      },
    ];
    // One page per run, so the ids the first page gave can be read in between.
    const adapter: SourceAdapter = {
      kind: 'feed',
      async fetchPage(ctx): Promise<Page> {
        const index = ctx.cursor === null ? 0 : Number(ctx.cursor);
        const records = pages[index]!;
        const fetched = records.deliveries.length + records.urls.length + eventCount(records.events);
        return { records, rejected: [], rejectedCount: 0, nextCursor: String(index + 1), done: true, fetched };
      },
    };
    const db = freshDb();
    await addFeed(db);
    expect((await runWorkflow(deps(db, adapter), 'manual')).status).toBe('ok');
    const firstIds: Record<string, number> = {};
    for (const d of await db.deliveries.toArray()) firstIds[d.extId] = d.id!;
    for (const u of await db.urls.toArray()) firstIds[`${u.deliveryId}/${u.extId}`] = u.id!;
    expect((await runWorkflow(deps(db, adapter), 'manual')).status).toBe('ok');
    const deliveries = await db.deliveries.toArray();
    expect(deliveries).toHaveLength(2);
    const d1 = deliveries.find((d) => d.extId === 'D1')!;
    const d2 = deliveries.find((d) => d.extId === 'D2')!;
    expect(d1).toMatchObject({ label: 'B', subject: 's', toDeliver: 10, trackingEnabled: true, hasHtml: false });
    // D2 was a placeholder (its URL came first) and is the same row once its record arrives.
    expect(firstIds.D2).toBe(d2.id);
    expect(d2).toMatchObject({ label: 'Real D2', trackingEnabled: false, hasHtml: true });
    expect(await db.contents.get(d2.id!)).toMatchObject({ html: '<p>hi</p>' });
    const urls = await db.urls.toArray();
    expect(urls).toHaveLength(2);
    const u1 = urls.find((u) => u.deliveryId === d1.id)!;
    expect(u1).toMatchObject({ extId: 'U1', url: 'https://x.example/1?v=2', label: 'x', category: 'c' });
    expect(firstIds[`${d1.id}/U1`]).toBe(u1.id);
    expect(urls.find((u) => u.deliveryId === d2.id)).toMatchObject({ extId: 'U1', url: 'https://x.example/d2' });
  });
});

describe('dictionary', () => {
  it('interns strings to stable ids across runs, stored as chunks', async () => {
    const { Dictionary, dictionaryKeys } = await import('../../../../lib/db/dictionary');
    const db = freshDb();
    const a = await Dictionary.load(db, 'recipients');
    expect([a.intern('x@a.se'), a.intern('y@a.se'), a.intern('x@a.se')]).toEqual([1, 2, 1]);
    const chunk = a.takePending()!;
    expect(chunk).toMatchObject({ name: 'recipients', firstId: 1, keys: ['x@a.se', 'y@a.se'] });
    expect(a.takePending()).toBeUndefined();
    await db.dicts.add(chunk);
    const b = await Dictionary.load(db, 'recipients');
    expect(b.get('y@a.se')).toBe(2);
    expect(b.intern('z@a.se')).toBe(3);
    expect(b.takePending()).toMatchObject({ firstId: 3, keys: ['z@a.se'] });
    expect(await dictionaryKeys(db, 'recipients')).toEqual(['', 'x@a.se', 'y@a.se']);
  });
});

describe('reconcile', () => {
  it('brings an aggregate left behind its segments up to date even when no new event touches the delivery', async () => {
    const all = makeEvents(600);
    const clean = freshDb();
    await addFeed(clean);
    await runWorkflow(deps(clean, pagedAdapter(all, 300)), 'manual');

    const db = freshDb();
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(all.slice(0, 300), 300)), 'manual');
    const savedAggregates = await db.aggregates.toArray();
    const savedTotals = await db.totals.toArray();
    await db.sources.update('src-1', { cursor: null });
    await runWorkflow(deps(db, pagedAdapter(all, 300)), 'manual');
    // As if the worker had stopped after the last page's segments were committed but before their aggregates.
    await db.aggregates.bulkPut(savedAggregates);
    await db.totals.bulkPut(savedTotals);
    expect((await db.totals.toArray())[0]!.totals.events).toBe(300);
    // The next run fetches nothing new at all.
    await runWorkflow(deps(db, pagedAdapter([], 300)), 'alarm');
    expect((await db.totals.toArray())[0]!.totals.events).toBe(600);
    // Everything but the cursor (the empty source moved it on) matches a clean run.
    const { cursor: _after, ...got } = (await snapshot(db)) as Record<string, unknown>;
    const { cursor: _clean, ...want } = (await snapshot(clean)) as Record<string, unknown>;
    expect(got).toEqual(want);
  });
});
