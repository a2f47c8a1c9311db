import { describe, expect, it } from 'vitest';
import type { AggregateRow, TrackingDb } from '../../../../lib/db/schema';
import { contentScriptTab, isFromBackground } from '../../../../lib/messaging-guard';
import { createOverlayController, framesFromResults, type OverlayDeps, type TabState } from '../../../../lib/overlay/controller';
import { overlayDrawSchema, type OverlayDraw } from '../../../../lib/overlay/protocol';
import { emptyTotals } from '../../../../lib/workflow/aggregate';
import { freshDb } from '../workflow/helpers';

const T = 'https://t.example.invalid/r/?id=h0';
const pair = (urlId: number, rcp: number): number => urlId * 2 ** 32 + rcp;

/** Two sends of one template: delivery 1 ("a1") and 2 ("a2"), three email links and an opt-out each. */
async function seed(db: TrackingDb): Promise<void> {
  for (const [id, ext] of [
    [1, 'a1'],
    [2, 'a2'],
  ] as const) {
    await db.deliveries.add({ id, sourceId: 's', extId: ext, label: `Send ${ext}`, trackingEnabled: true, hasHtml: true });
    const base = id * 10;
    await db.urls.bulkAdd([
      { id: base, deliveryId: id, extId: 'b0', type: 1, url: 'https://shop.example/hero', occurrence: 0, label: 'Hero' },
      { id: base + 1, deliveryId: id, extId: 'b1', type: 1, url: 'https://shop.example/p/1', occurrence: 1 },
      { id: base + 2, deliveryId: id, extId: 'b2', type: 1, url: 'https://shop.example/p/2', occurrence: 2 },
      { id: base + 3, deliveryId: id, extId: 'b3', type: 3, url: 'https://shop.example/unsub', occurrence: 3 },
    ]);
  }
  // Delivery 1: hero 6 clicks by 2, p/1 2 by 2, p/2 none, opt-out 2 by 2 → 10 clicks, 6 clickers.
  const agg: AggregateRow = {
    deliveryId: 1,
    through: 0,
    totals: emptyTotals(),
    rcpIds: new Uint32Array(),
    rcpTypes: new Uint8Array(),
    rcpLastOpen: new Uint32Array(),
    clickPersons: new Float64Array(),
    linkIds: new Uint32Array([10, 11, 13]),
    linkCounts: new Uint32Array([6, 2, 2]),
    linkClickers: new Float64Array([pair(10, 1), pair(10, 2), pair(11, 1), pair(11, 3), pair(13, 4), pair(13, 5)]),
    hours: new Uint32Array(),
    hourOpens: new Uint32Array(),
    hourClicks: new Uint32Array(),
    hourOptOuts: new Uint32Array(),
    hourMirror: new Uint32Array(),
  };
  await db.aggregates.put(agg);
}

function harness(db: TrackingDb, results: OverlayDeps['inject']) {
  const sent: { frameId: number; message: OverlayDraw | 'remove' }[] = [];
  const store = new Map<number, TabState>();
  const controller = createOverlayController({
    db,
    inject: results,
    send: async (_tab, frameId, message) => {
      if (message !== 'remove') overlayDrawSchema.parse(message); // what the content script will check
      sent.push({ frameId, message });
    },
    load: async (tabId) => store.get(tabId),
    save: async (tabId, state) => {
      if (state) store.set(tabId, state);
      else store.delete(tabId);
    },
  });
  return { controller, sent, store };
}

describe('overlay controller', () => {
  it('picks the delivery whose redirect ids the page carries, draws badges in its frame and the legend on top', async () => {
    const db = freshDb();
    await seed(db);
    const { controller, sent } = harness(db, async () => [
      // The web-mail page: one iframe of its own plus one it could not reach (2 iframes reported, 1 answered).
      { frameId: 0, result: { links: ['https://mail.example/inbox'], iframes: 2 } },
      { frameId: 7, result: { links: [`${T},a1,b0`, `${T},a1,b1`, `${T},a1,b2`, `${T},a1,b3`, 'https://elsewhere.example/'], iframes: 0 } },
    ]);
    const result = await controller.show(42);
    expect(result).toEqual({ ok: true, framesReached: 2, framesUnreached: 1, deliveryId: 1, matched: 4, total: 5 });
    const top = sent.find((s) => s.frameId === 0)!.message as OverlayDraw;
    const email = sent.find((s) => s.frameId === 7)!.message as OverlayDraw;
    expect(top.badges).toEqual([]);
    expect(top.legend).toMatchObject({ state: 'ok', deliveryId: 1, label: 'Send a1', matched: 4, total: 5, totalClicks: 10, totalClickers: 6, framesUnreached: 1 });
    expect(top.legend!.candidates.map((c) => [c.deliveryId, c.matched])).toEqual([[1, 4]]);
    expect(top.legend!.unmatched).toEqual([{ href: 'https://elsewhere.example/', reason: 'no-match' }]);
    // Opt-out (index 3) counts in the denominator but gets no badge.
    expect(email.badges.map((b) => [b.i, b.share, b.clicks, b.clickers, b.heat])).toEqual([
      [0, 0.6, 6, 2, 5],
      [1, 0.2, 2, 2, 2],
      [2, 0, 0, 0, 0],
    ]);
    expect(email.badges[0]!.label).toBe('Hero');
    expect(email.legend).toBeUndefined();
  });

  it('switches basis and delivery on request, and the off switch removes every frame', async () => {
    const db = freshDb();
    await seed(db);
    const page = ['https://shop.example/hero', 'https://shop.example/p/1', 'https://shop.example/p/2'];
    const { controller, sent, store } = harness(db, async () => [{ frameId: 0, result: { links: page, iframes: 0 } }]);
    const shown = await controller.show(1);
    // Destinations only: both sends match 3 of 3; the newer (higher id) comes first.
    expect(shown.deliveryId).toBe(2);
    sent.length = 0;
    await controller.select(1, { deliveryId: 1, basis: 'clickers', who: 'all' });
    const draw = sent[0]!.message as OverlayDraw;
    expect(draw.legend).toMatchObject({ deliveryId: 1, basis: 'clickers' });
    expect(draw.legend!.candidates.map((c) => c.deliveryId)).toEqual([2, 1]);
    expect(draw.badges[0]!.share).toBeCloseTo(2 / 6);
    sent.length = 0;
    await controller.select(1, { basis: 'clicks', who: 'all' }); // keeps the chosen delivery
    expect((sent[0]!.message as OverlayDraw).legend).toMatchObject({ deliveryId: 1, basis: 'clicks' });
    sent.length = 0;
    await controller.off(1);
    expect(sent).toEqual([{ frameId: 0, message: 'remove' }]);
    expect(store.size).toBe(0);
    expect(await controller.select(1, { basis: 'clicks', who: 'all' })).toBe(false);
  });

  it('counts humans only on request, from the delivery’s events, with the rules of the settings', async () => {
    const db = freshDb();
    await seed(db);
    const page = ['https://shop.example/hero', 'https://shop.example/p/1', 'https://shop.example/p/2'];
    const { controller, sent } = harness(db, async () => [{ frameId: 0, result: { links: page, iframes: 0 } }]);
    await controller.show(1);
    await controller.select(1, { deliveryId: 1, basis: 'clicks', who: 'all' });
    expect((sent.at(-1)!.message as OverlayDraw).legend).toMatchObject({ who: 'all', totalClicks: 10 });
    // The seed has an aggregate but no stored events: counted from the events, nobody clicked.
    await controller.select(1, { deliveryId: 1, basis: 'clicks', who: 'human' });
    const human = sent.at(-1)!.message as OverlayDraw;
    expect(human.legend).toMatchObject({ who: 'human', deliveryId: 1, totalClicks: 0 });
    expect(human.badges.every((b) => b.clicks === 0)).toBe(true);
    // Shown again later, the tab keeps the choice.
    await controller.show(1);
    expect((sent.at(-1)!.message as OverlayDraw).legend).toMatchObject({ who: 'human' });
  });

  it('says when the page cannot be reached, and when nothing matches', async () => {
    const db = freshDb();
    await seed(db);
    const denied = harness(db, async () => {
      throw new Error('Cannot access contents of the page');
    });
    expect(await denied.controller.show(1)).toMatchObject({ ok: false, reason: 'no-access' });
    const nothing = harness(db, async () => [{ frameId: 0, result: { links: ['https://other.example/'], iframes: 0 } }]);
    expect(await nothing.controller.show(1)).toMatchObject({ ok: true, matched: 0 });
    expect((nothing.sent[0]!.message as OverlayDraw).legend).toMatchObject({ state: 'no-match', candidates: [] });
  });

  it('ignores frame answers that do not fit the schema', () => {
    expect(framesFromResults([{ frameId: 0, result: { links: ['x'], iframes: 1 } }, { frameId: 3, result: 'garbage' }])).toEqual({
      frames: [{ frameId: 0, links: ['x'] }],
      unreached: 1,
    });
  });
});

describe('overlay senders', () => {
  const id = 'ext-id';
  const origin = 'chrome-extension://ext-id/';
  it("accepts only this extension's content scripts in a tab", () => {
    expect(contentScriptTab({ id, url: 'https://mail.example/', tab: { id: 5 }, frameId: 0 }, id, origin)).toBe(5);
    expect(contentScriptTab({ id: 'other', url: 'https://mail.example/', tab: { id: 5 } }, id, origin)).toBeUndefined();
    expect(contentScriptTab({ id, url: `${origin}options.html`, tab: { id: 5 } }, id, origin)).toBeUndefined();
    expect(contentScriptTab({ id, url: 'https://mail.example/' }, id, origin)).toBeUndefined();
  });
  it('lets a content script take draws only from the background', () => {
    expect(isFromBackground({ id }, id)).toBe(true);
    expect(isFromBackground({ id, tab: { id: 5 } }, id)).toBe(false);
    expect(isFromBackground({ id: 'other' }, id)).toBe(false);
  });
});
