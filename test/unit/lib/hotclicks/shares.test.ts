import { describe, expect, it } from 'vitest';
import type { UrlRow } from '../../../../lib/db/schema';
import { heatStep, hotClicks, linkStats } from '../../../../lib/hotclicks/shares';

const url = (id: number, type: number, occurrence?: number): UrlRow => ({ id, deliveryId: 1, extId: String(id), type, url: `https://e.example/${id}`, occurrence });
const pair = (urlId: number, rcp: number): number => urlId * 2 ** 32 + rcp;

describe('hot clicks', () => {
  // Hand-computed: link 10 has 6 clicks by 2 recipients, link 11 has 2 clicks by 2, opt-out 12 has 2 by 2,
  // the open pixel 13 has 50 events (not clicks). Denominator 6 + 2 + 2 = 10 clicks, 2 + 2 + 2 = 6 clickers.
  const agg = {
    linkIds: new Uint32Array([10, 11, 12, 13]),
    linkCounts: new Uint32Array([6, 2, 2, 50]),
    linkClickers: new Float64Array([pair(10, 1), pair(10, 2), pair(11, 1), pair(11, 3), pair(12, 4), pair(12, 5)]),
  };
  const urls = [url(11, 1, 1), url(10, 1, 0), url(12, 3, 2), url(13, 2), url(14, 1, 3)];

  it('counts opt-out clicks in the denominator without drawing them, and never counts opens', () => {
    const hc = hotClicks(urls, linkStats(agg));
    expect(hc.totalClicks).toBe(10);
    expect(hc.totalClickers).toBe(6);
    expect(hc.links.map((l) => [l.url.id, l.clicks, l.clickers, l.shareClicks, l.shareClickers, l.drawn])).toEqual([
      [10, 6, 2, 0.6, 2 / 6, true],
      [11, 2, 2, 0.2, 2 / 6, true],
      [12, 2, 2, 0.2, 2 / 6, false],
      [14, 0, 0, 0, 0, true],
    ]);
    const drawnSum = hc.links.filter((l) => l.drawn).reduce((s, l) => s + l.shareClicks!, 0);
    expect(drawnSum).toBeCloseTo(0.8);
  });

  it('has no shares when there is no click at all', () => {
    const hc = hotClicks(urls, linkStats(undefined));
    expect(hc.totalClicks).toBe(0);
    expect(hc.links.every((l) => l.shareClicks === undefined && l.shareClickers === undefined)).toBe(true);
  });

  it('scales heat to the hottest link', () => {
    expect(heatStep(0, 0.6)).toBe(0);
    expect(heatStep(undefined, 0.6)).toBe(0);
    expect(heatStep(0.6, 0.6)).toBe(5);
    expect(heatStep(0.001, 0.6)).toBe(1);
    expect(heatStep(0.3, 0.6)).toBe(3);
  });
});
