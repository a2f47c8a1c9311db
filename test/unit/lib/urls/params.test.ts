import { describe, expect, it } from 'vitest';
import { parseUrlsQuery } from '../../../../lib/urls/params';
import { formatZonedInput, parseZonedDateTime } from '../../../../lib/zoned-time';

describe('URLs tab params', () => {
  it('defaults to each link, since send, email order', () => {
    expect(parseUrlsQuery({})).toMatchObject({ by: 'link', window: 'all', sort: 'order', desc: false, sel: [], page: 1, q: '' });
  });

  it('reads valid params and drops invalid ones', () => {
    const q = parseUrlsQuery({ by: 'label', window: 'custom', from: '2026-10-01T09:00', to: 'tomorrow', sort: 'clicks', sel: '3,x,4,3', page: '2', axis: 'since' });
    expect(q).toMatchObject({ by: 'label', window: 'custom', from: '2026-10-01T09:00', to: undefined, sort: 'clicks', desc: true, sel: [3, 4], page: 2, sinceSend: true });
    expect(parseUrlsQuery({ by: '<script>', window: '7d', sort: 'evil', dir: 'asc' })).toMatchObject({ by: 'link', window: 'all', sort: 'order', desc: false });
  });
});

describe('wall times in a time zone', () => {
  it('round-trips in Stockholm across the DST change, and in UTC', () => {
    expect(parseZonedDateTime('2026-07-01T12:00', 'Europe/Stockholm')).toBe(Date.UTC(2026, 6, 1, 10));
    expect(parseZonedDateTime('2026-12-01T12:00', 'Europe/Stockholm')).toBe(Date.UTC(2026, 11, 1, 11));
    expect(parseZonedDateTime('2026-12-01T12:00', 'UTC')).toBe(Date.UTC(2026, 11, 1, 12));
    expect(formatZonedInput(Date.UTC(2026, 6, 1, 10), 'Europe/Stockholm')).toBe('2026-07-01T12:00');
  });

  it('refuses text that is no wall time', () => {
    expect(parseZonedDateTime('2026-13-01T12:00', 'UTC')).toBeUndefined();
    expect(parseZonedDateTime('yesterday', 'UTC')).toBeUndefined();
    expect(parseZonedDateTime('2026-01-01T12:00', 'Not/AZone')).toBeUndefined();
  });
});
