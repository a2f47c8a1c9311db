import { describe, expect, it } from 'vitest';
import { emptyColumns } from '../../../../lib/db/events';
import { filterEvents, parseLogsQuery, rankByLabel, sortIndex, typeMask } from '../../../../lib/logs/table';

function columns(rows: { t: number; type: number; rcp: number; url?: number }[]) {
  const c = emptyColumns(rows.length);
  rows.forEach((r, i) => {
    c.t[i] = r.t;
    c.type[i] = r.type;
    c.rcp[i] = r.rcp;
    c.url[i] = r.url ?? 0;
  });
  return c;
}

const cols = columns([
  { t: 100, type: 2, rcp: 1 },
  { t: 110, type: 1, rcp: 2, url: 5 },
  { t: 120, type: 2, rcp: 2 },
  { t: 130, type: 3, rcp: 3, url: 6 },
  { t: 140, type: 1, rcp: 1, url: 6 },
]);

describe('logs query from the hash', () => {
  it('reads types, range in the zone, filters and sort; drops malformed values', () => {
    const q = parseLogsQuery(
      { type: 'click,open,bogus,click', from: '2026-10-01T11:00', to: 'nonsense', rcp: 'anna', sort: 'rcp', dir: 'desc' },
      'Europe/Stockholm',
    );
    expect(q.types).toEqual([1, 2]);
    expect(q.fromS).toBe(Date.UTC(2026, 9, 1, 9) / 1000); // CEST = UTC+2
    expect(q.to).toBe('');
    expect(q.toS).toBeUndefined();
    expect(q).toMatchObject({ rcp: 'anna', sort: 'rcp', dir: 'desc' });
    expect(parseLogsQuery({ sort: 'evil' }, 'UTC')).toMatchObject({ sort: 'time', dir: 'asc', types: [] });
  });

  it('takes an end minute as including its seconds', () => {
    const q = parseLogsQuery({ to: '2026-01-01T00:00' }, 'UTC');
    expect(q.toS).toBe(Date.UTC(2026, 0, 1) / 1000 + 59);
  });
});

describe('filtering events', () => {
  it('keeps every event with no filter', () => {
    expect(Array.from(filterEvents(cols, { typeMask: 0 }))).toEqual([0, 1, 2, 3, 4]);
  });
  it('filters by type, time range (inclusive), recipient and URL marks together', () => {
    expect(Array.from(filterEvents(cols, { typeMask: typeMask([1]) }))).toEqual([1, 4]);
    expect(Array.from(filterEvents(cols, { typeMask: 0, fromS: 110, toS: 130 }))).toEqual([1, 2, 3]);
    const rcp = new Uint8Array(4);
    rcp[2] = 1;
    expect(Array.from(filterEvents(cols, { typeMask: 0, rcp }))).toEqual([1, 2]);
    const url = new Uint8Array(7);
    url[6] = 1;
    expect(Array.from(filterEvents(cols, { typeMask: 0, url }))).toEqual([3, 4]);
    expect(Array.from(filterEvents(cols, { typeMask: typeMask([1]), url }))).toEqual([4]);
    expect(Array.from(filterEvents(cols, { typeMask: 0, fromS: 200 }))).toEqual([]);
  });
  it('filters by delivery column', () => {
    const column = Uint32Array.from([7, 8, 7, 8, 7]);
    expect(Array.from(filterEvents(cols, { typeMask: 0, delivery: { column, id: 8 } }))).toEqual([1, 3]);
  });
  it('filters a million events', () => {
    const n = 1_000_000;
    const big = emptyColumns(n);
    for (let i = 0; i < n; i++) {
      big.t[i] = 1_000_000 + i;
      big.type[i] = 1 + (i % 6);
      big.rcp[i] = i % 5000;
    }
    const out = filterEvents(big, { typeMask: typeMask([1]) });
    expect(out.length).toBe(Math.ceil(n / 6));
    expect(out.every((i) => big.type[i] === 1)).toBe(true);
  });
});

describe('sorting', () => {
  it('sorts by a ranked column, stable (ties keep time order), both directions', () => {
    const idx = filterEvents(cols, { typeMask: 0 });
    // recipients 1,2,3 labelled so that 3 < 1 < 2
    const rank = rankByLabel([1, 2, 3], (id) => ({ 1: 'b', 2: 'c', 3: 'a' })[id]!, 4);
    expect(Array.from(sortIndex(idx, cols.rcp, rank, 'asc'))).toEqual([3, 0, 4, 1, 2]);
    expect(Array.from(sortIndex(idx, cols.rcp, rank, 'desc'))).toEqual([1, 2, 0, 4, 3]);
  });
  it('sorts by time descending keeping equal times in stored order', () => {
    const c = columns([
      { t: 5, type: 2, rcp: 1 },
      { t: 5, type: 2, rcp: 2 },
      { t: 9, type: 2, rcp: 3 },
    ]);
    expect(Array.from(sortIndex(filterEvents(c, { typeMask: 0 }), c.t, undefined, 'desc'))).toEqual([2, 0, 1]);
  });
  it('handles keys above 16 bits and empty input', () => {
    const values = Uint32Array.from([70_000, 3, 65_536, 200_000]);
    expect(Array.from(sortIndex(Uint32Array.from([0, 1, 2, 3]), values, undefined, 'asc'))).toEqual([1, 2, 0, 3]);
    expect(sortIndex(new Uint32Array(0), values, undefined, 'asc').length).toBe(0);
  });
  it('gives equal labels one rank and id 0 the lowest', () => {
    const rank = rankByLabel([0, 1, 2, 3], (id) => (id === 3 ? 'x' : 'same'), 4);
    expect(Array.from(rank)).toEqual([0, 1, 1, 2]);
  });
});
