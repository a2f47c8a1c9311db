import { describe, expect, it } from 'vitest';
import { isTrackingParam, normalizeUrl } from '../../../../lib/overlay/normalize-url';

describe('normalizeUrl', () => {
  it('treats scheme/host case, default ports, trailing slashes and fragments as the same page', () => {
    const a = normalizeUrl('HTTPS://Shop.Example.COM:443/Sale/?a=1#top');
    expect(a).toBe('shop.example.com/Sale?a=1');
    expect(normalizeUrl('http://shop.example.com/Sale?a=1')).toBe(a);
    expect(normalizeUrl('https://shop.example.com')).toBe('shop.example.com');
    expect(normalizeUrl('https://shop.example.com/')).toBe('shop.example.com');
  });

  it('keeps the path case (servers may tell /Sale from /sale)', () => {
    expect(normalizeUrl('https://e.example/Sale')).not.toBe(normalizeUrl('https://e.example/sale'));
  });

  it('drops utm_* and known click ids, keeps and sorts the parameters that name a page', () => {
    expect(normalizeUrl('https://e.example/p?utm_source=nl&id=7&utm_campaign=x&gclid=abc&b=2&mc_eid=zz')).toBe('e.example/p?b=2&id=7');
    expect(normalizeUrl('https://e.example/p?b=2&id=7')).toBe('e.example/p?b=2&id=7');
    expect(isTrackingParam('UTM_Medium')).toBe(true);
    expect(isTrackingParam('id')).toBe(false);
  });

  it('returns undefined for links that are no web page', () => {
    for (const href of ['mailto:a@b.example', 'tel:+4612345', 'javascript:void(0)', '#top', 'not a url', '']) {
      expect(normalizeUrl(href)).toBeUndefined();
    }
  });

  it('resolves relative links against a base', () => {
    expect(normalizeUrl('/a/b/', 'https://e.example/x')).toBe('e.example/a/b');
  });
});
