import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, sectionOf, type Route } from '../../../lib/routes';

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
  });

  it('sends malformed links to "not found" rather than guessing', () => {
    for (const hash of ['#/deliveries/abc', '#/deliveries/0', '#/deliveries/1/2', '#/workflow/runs/x', '#/nope', '#/sources/%E0/edit']) {
      expect(parseRoute(hash).name, hash).toBe('not-found');
    }
  });

  it('round-trips through hrefFor', () => {
    const routes: Route[] = [
      { name: 'deliveries' },
      { name: 'delivery', id: 3 },
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
