import { describe, expect, it } from 'vitest';
import { linkKey, matchDelivery, prepareLinks, rankDeliveries, type Candidate, type PageLink } from '../../../../lib/overlay/match';

const T = 'https://t.example.invalid/r/?id=h0';
const links = (frame: number, hrefs: string[]): PageLink[] => hrefs.map((href, index) => ({ frame, index, href }));

/** Delivery "a1": hero, product image + "Shop now" to one destination (two tracked URLs), opt-out, a footer link. */
const a1: Candidate = {
  deliveryId: 1,
  extId: 'a1',
  urls: [
    { id: 10, extId: 'b0', type: 1, url: 'https://shop.example/hero?utm_source=nl', occurrence: 0 },
    { id: 11, extId: 'b1', type: 1, url: 'https://shop.example/p/1', occurrence: 1 },
    { id: 12, extId: 'b2', type: 1, url: 'https://shop.example/p/1', occurrence: 2 },
    { id: 13, extId: 'b3', type: 3, url: 'https://shop.example/unsubscribe', occurrence: 3 },
    { id: 14, extId: 'b4', type: 1, url: 'https://shop.example/about', occurrence: 4 },
    { id: 15, extId: '1', type: 2, url: '', occurrence: undefined },
  ],
};
/** An older send of the same template: same destinations, other ids. */
const a0: Candidate = { ...a1, deliveryId: 0, extId: 'a0', urls: a1.urls.map((u) => ({ ...u, id: u.id + 100, extId: `c${u.extId}` })) };

describe('matchDelivery', () => {
  it("matches tracked redirects by their ids, and another delivery's redirects never", () => {
    const page = links(0, [`${T},a1,b0`, `${T},a1,b1`, `${T},a1,b2`, `${T},a1,b3`, `${T},a1,b4`, `${T},a0,cb0`]);
    const m = matchDelivery(prepareLinks(page), a1);
    expect([m.matched, m.total, m.byId, m.missing]).toEqual([5, 6, 5, 0]);
    expect(m.matches.get(linkKey(0, 1))).toEqual({ urlId: 11, by: 'id', repeated: false });
    expect(m.unmatched.map((u) => [u.link.index, u.reason])).toEqual([[5, 'other-delivery']]);
    expect(matchDelivery(prepareLinks(page), a0).matched).toBe(1);
  });

  it('matches plain destinations after normalising, by order of occurrence among equal destinations', () => {
    const page = links(0, [
      'HTTPS://SHOP.example/hero/?utm_campaign=x',
      'https://shop.example/p/1', // image
      'https://shop.example/p/1?utm_content=button', // "Shop now"
      'https://shop.example/p/1', // a third copy: the source has only two rows for it
      'https://elsewhere.example/',
      'mailto:hello@shop.example',
    ]);
    const m = matchDelivery(prepareLinks(page), a1);
    expect(m.total).toBe(5); // mailto is no web link
    expect(m.matched).toBe(4);
    expect([1, 2, 3].map((i) => m.matches.get(linkKey(0, i)))).toEqual([
      { urlId: 11, by: 'url', repeated: false },
      { urlId: 12, by: 'url', repeated: false },
      { urlId: 12, by: 'url', repeated: true },
    ]);
    expect(m.unmatched.map((u) => u.reason)).toEqual(['no-match']);
    expect(m.missing).toBe(1); // the footer link (the opt-out is no email-click link)
  });

  it('restarts occurrences per frame and leaves frames without a match out of the score', () => {
    const webmail = links(0, ['https://mail.example/inbox', 'https://mail.example/settings', 'https://shop.example/p/1']);
    const email = links(1, ['https://shop.example/hero', 'https://shop.example/p/1', 'https://shop.example/p/1']);
    const m = matchDelivery(prepareLinks([...webmail, ...email]), a1);
    // The web-mail frame holds one stray shop link: it counts with its frame's three links.
    expect(m.frames).toEqual([0, 1]);
    expect(m.matches.get(linkKey(1, 1))?.urlId).toBe(11);
    expect(m.matches.get(linkKey(0, 2))?.urlId).toBe(11);
    const onlyEmail = matchDelivery(prepareLinks([...links(0, ['https://mail.example/inbox']), ...email]), a1);
    expect([onlyEmail.matched, onlyEmail.total, onlyEmail.frames]).toEqual([3, 3, [1]]);
  });

  it('uses a provider link id or a readable provider destination, and says why an opaque redirect matched nothing', () => {
    const mc: Candidate = { deliveryId: 5, extId: 'camp', urls: [{ id: 50, extId: 'f00d1', type: 1, url: 'https://shop.example/x' }, { id: 51, extId: 'z', type: 1, url: 'https://shop.example/y' }] };
    const page = links(0, [
      'https://acme.us5.list-manage.com/track/click?u=abc&id=f00d1&e=1',
      'https://click.pstmrk.it/3s/shop.example%2Fy/AAAA/BBBB',
      'https://u1.ct.sendgrid.net/ls/click?upn=opaque',
    ]);
    const m = matchDelivery(prepareLinks(page), mc);
    expect([...m.matches.values()].map((x) => [x.urlId, x.by])).toEqual([
      [50, 'id'],
      [51, 'url'],
    ]);
    expect(m.unmatched).toMatchObject([{ reason: 'opaque-redirect', provider: 'sendgrid' }]);
  });
});

describe('rankDeliveries', () => {
  it('puts the delivery whose ids the links carry first, then the better destination match', () => {
    const page = links(0, [`${T},a1,b0`, 'https://shop.example/p/1', 'https://shop.example/p/1', 'https://shop.example/about']);
    const ranked = rankDeliveries(page, [a0, a1, { deliveryId: 9, extId: 'x', urls: [] }]);
    expect(ranked.map((r) => [r.deliveryId, r.matched, r.total])).toEqual([
      [1, 4, 4],
      [0, 3, 4],
    ]);
  });

  it('prefers the newer delivery when two match equally (a template sent twice)', () => {
    const page = links(0, ['https://shop.example/hero', 'https://shop.example/about']);
    expect(rankDeliveries(page, [a0, a1]).map((r) => r.deliveryId)).toEqual([1, 0]);
  });

  it('returns nothing when no link matches', () => {
    expect(rankDeliveries(links(0, ['https://other.example/']), [a1])).toEqual([]);
  });
});

describe('the sample data', () => {
  it("matches every link of each sample email to its own delivery's tracked URLs, by redirect ids", async () => {
    const { sampleStream } = await import('../../../../lib/sources/sample');
    const stream = sampleStream(Date.UTC(2026, 10, 20, 12));
    const candidates: Candidate[] = stream.deliveries.map((d, i) => ({
      deliveryId: i + 1,
      extId: d.extId,
      urls: stream.urls.filter((u) => u.deliveryExtId === d.extId).map((u, j) => ({ id: (i + 1) * 1000 + j, extId: u.extId, type: u.type, url: u.url, occurrence: u.occurrence })),
    }));
    let checked = 0;
    stream.deliveries.forEach((d, i) => {
      const tracked = candidates[i]!.urls.length;
      if (!d.html || tracked === 0) return;
      const hrefs = [...d.html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
      const ranked = rankDeliveries(links(0, hrefs), candidates);
      expect(ranked[0]!.deliveryId).toBe(i + 1);
      expect([ranked[0]!.matched, ranked[0]!.total, ranked[0]!.byId]).toEqual([tracked, hrefs.length, tracked]);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
