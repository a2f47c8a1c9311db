import { describe, expect, it } from 'vitest';
import type { UrlRow } from '../../../../lib/db/schema';
import { matchAnchors, parseRedirect, type AnchorRef } from '../../../../lib/email/match-links';

const row = (id: number, extId: string, u: string, occurrence?: number, type = 1): UrlRow => ({
  id,
  deliveryId: 1,
  extId,
  type,
  url: u,
  occurrence,
});
const anchors = (...hrefs: string[]): AnchorRef[] => hrefs.map((href, index) => ({ index, href, text: `link ${index}` }));

describe('tracked redirects', () => {
  it('reads the tracked URL id of an Adobe-style redirect', () => {
    expect(parseRedirect('https://t.example/r/?id=h0,1a,2F&p1=x')).toEqual({ content: 'h', message: '0', delivery: '1a', url: '2f' });
    expect(parseRedirect('https://t.example/r?id=t617791,71ffa3,71ffa8')?.url).toBe('71ffa8');
    expect(parseRedirect('https://shop.example/?id=h0,1,2')).toBeUndefined();
    expect(parseRedirect('javascript:alert(1)//r/?id=h0,1,2')).toBeUndefined();
    expect(parseRedirect('not a url')).toBeUndefined();
  });
});

describe('anchors to tracked URLs', () => {
  it('follows the redirect id first, whatever the order', () => {
    const urls = [row(5, 'a1', 'https://x/1', 0), row(6, 'a2', 'https://x/2', 1)];
    const m = matchAnchors(anchors('https://t/r/?id=h0,1,a2', 'https://t/r/?id=h0,1,a1'), urls);
    expect(m.urlIdOf).toEqual([6, 5]);
    expect(m.method).toEqual(['redirect', 'redirect']);
    expect(m.unmatchedUrls).toEqual([]);
  });

  it('matches decimal tracked-URL ids to the hex of a redirect', () => {
    const m = matchAnchors(anchors('https://t/r/?id=h0,1,ff'), [row(7, '255', 'https://x/')]);
    expect(m.urlIdOf).toEqual([7]);
  });

  it('uses the occurrence when the anchor is not a redirect', () => {
    const urls = [row(5, 'U1', 'https://x/a', 0), row(6, 'U2', 'https://x/a', 1), row(7, 'U3', 'https://x/b', 2)];
    const m = matchAnchors(anchors('https://x/a', 'https://x/a', 'https://x/b'), urls);
    expect(m.urlIdOf).toEqual([5, 6, 7]);
    expect(m.method).toEqual(['occurrence', 'occurrence', 'occurrence']);
  });

  it('falls back to the k-th occurrence of the same URL when there is no occurrence', () => {
    const urls = [row(5, 'U1', 'https://x/a'), row(6, 'U2', 'https://x/a'), row(7, 'U3', 'https://x/b')];
    const m = matchAnchors(anchors('https://x/b', 'https://x/a', 'mailto:hi@x', 'https://x/a'), urls);
    expect(m.urlIdOf).toEqual([7, 5, undefined, 6]);
    expect(m.method).toEqual(['url', 'url', undefined, 'url']);
    expect(m.unmatchedAnchors.map((a) => a.href)).toEqual(['mailto:hi@x']);
  });

  it('does not take the occurrence row when the anchor points at another tracked URL', () => {
    // Source counted only tracked links; the HTML has an untracked link first, so occurrences are shifted by one.
    const urls = [row(5, 'U1', 'https://x/a', 0), row(6, 'U2', 'https://x/b', 1)];
    const m = matchAnchors(anchors('https://x/b', 'https://x/a'), urls);
    expect(m.urlIdOf).toEqual([6, 5]);
  });

  it('lists tracked URLs no anchor was matched to, and anchors with unknown redirects', () => {
    const urls = [row(5, 'a1', 'https://x/1', 0), row(6, 'a2', 'https://x/2', 1)];
    const m = matchAnchors(anchors('https://t/r/?id=h0,1,a1', 'https://t/r/?id=h0,1,ee'), urls);
    expect(m.urlIdOf).toEqual([5, undefined]);
    expect(m.unmatchedUrls.map((u) => u.id)).toEqual([6]);
  });
});
