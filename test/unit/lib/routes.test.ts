import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, sectionOf, withParams, type Route } from '../../../lib/routes';

describe('hash routes', () => {
  it('parses every view, with deliveries as the default', () => {
    expect(parseRoute('')).toEqual({ name: 'deliveries' });
    expect(parseRoute('#/')).toEqual({ name: 'deliveries' });
    expect(parseRoute('#/deliveries')).toEqual({ name: 'deliveries' });
    expect(parseRoute('#/deliveries/42')).toEqual({ name: 'delivery', id: 42 });
    expect(parseRoute('#/sources')).toEqual({ name: 'sources' });
    expect(parseRoute('#/sources/new')).toEqual({ name: 'source-new' });
    expect(parseRoute('#/sources/import')).toEqual({ name: 'import' });
    expect(parseRoute('#/sources/abc-123/edit')).toEqual({ name: 'source-edit', id: 'abc-123' });
    expect(parseRoute('#/workflow')).toEqual({ name: 'workflow' });
    expect(parseRoute('#/workflow/runs/7')).toEqual({ name: 'run', id: 7 });
    expect(parseRoute('#/settings/')).toEqual({ name: 'settings' });
    expect(parseRoute('#/deliveries/42/logs')).toEqual({ name: 'delivery', id: 42, tab: 'logs' });
    expect(parseRoute('#/deliveries/42/urls?by=label&window=6h')).toEqual({
      name: 'delivery',
      id: 42,
      tab: 'urls',
      params: { by: 'label', window: '6h' },
    });
    expect(parseRoute('#/deliveries?q=spring%20sale')).toEqual({ name: 'deliveries', params: { q: 'spring sale' } });
    expect(parseRoute('#/recipients?q=anna')).toEqual({ name: 'recipients', params: { q: 'anna' } });
    expect(parseRoute('#/recipients/9')).toEqual({ name: 'recipient', id: 9 });
  });

  it('merges and removes params with withParams', () => {
    const route: Route = { name: 'delivery', id: 1, tab: 'logs', params: { type: 'click' } };
    expect(withParams(route, { q: 'x' })).toEqual({ ...route, params: { type: 'click', q: 'x' } });
    expect(withParams(route, { type: '' })).toEqual({ ...route, params: undefined });
  });

  it('sends malformed links to "not found" rather than guessing', () => {
    for (const hash of ['#/deliveries/1/nope', '#/recipients/x', '#/deliveries/abc', '#/deliveries/0', '#/deliveries/1/2', '#/workflow/runs/x', '#/nope', '#/sources/%E0/edit']) {
      expect(parseRoute(hash).name, hash).toBe('not-found');
    }
  });

  it('round-trips through hrefFor', () => {
    const routes: Route[] = [
      { name: 'deliveries' },
      { name: 'delivery', id: 3 },
      { name: 'delivery', id: 3, tab: 'hotclicks', params: { basis: 'distinct', width: 'mobile' } },
      { name: 'deliveries', params: { q: 'a&b=c', sort: 'opens' } },
      { name: 'recipients', params: { q: '@example.com' } },
      { name: 'recipient', id: 5, params: { type: 'click' } },
      { name: 'sources' },
      { name: 'source-new' },
      { name: 'import' },
      { name: 'source-edit', id: 'a b/c' },
      { name: 'workflow' },
      { name: 'run', id: 12 },
      { name: 'settings' },
    ];
    for (const route of routes) expect(parseRoute(hrefFor(route))).toEqual(route);
  });

  it('maps views to their navigation section', () => {
    expect(sectionOf({ name: 'delivery', id: 1 })).toBe('deliveries');
    expect(sectionOf({ name: 'source-edit', id: 'x' })).toBe('sources');
    expect(sectionOf({ name: 'import' })).toBe('sources');
    expect(sectionOf({ name: 'run', id: 1 })).toBe('workflow');
    expect(sectionOf({ name: 'not-found', path: 'x' })).toBeUndefined();
  });
});
