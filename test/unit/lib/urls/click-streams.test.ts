import { describe, expect, it } from 'vitest';
import { emptyColumns, type EventColumns } from '../../../../lib/db/events';
import { clickStreams, frequentPaths, streamOf } from '../../../../lib/urls/click-streams';

function cols(rows: [number, number, number, number][]): EventColumns {
  const c = emptyColumns(rows.length);
  rows.forEach(([t, rcp, url, type], i) => {
    c.t[i] = t;
    c.rcp[i] = rcp;
    c.url[i] = url;
    c.type[i] = type;
  });
  return c;
}

// Recipient 7: A, B, B (repeat), C. Recipient 8: A, B. Recipient 9: opens only. Recipient 5: B then opt-out (X).
const EVENTS = cols([
  [100, 7, 1, 1],
  [105, 9, 0, 2],
  [110, 8, 1, 1],
  [160, 7, 2, 1],
  [170, 7, 2, 1],
  [200, 5, 2, 1],
  [230, 8, 2, 1],
  [400, 7, 3, 1],
  [500, 5, 99, 3],
]);

describe('click streams', () => {
  it('groups each recipient’s clicks in time order, recipients by first click, opens left out', () => {
    const s = clickStreams(EVENTS);
    expect(Array.from(s.recipients)).toEqual([7, 8, 5]);
    expect(streamOf(s, 0)).toEqual([
      { t: 100, url: 1, gap: undefined },
      { t: 160, url: 2, gap: 60 },
      { t: 170, url: 2, gap: 10 },
      { t: 400, url: 3, gap: 230 },
    ]);
    expect(streamOf(s, 1).map((c) => c.url)).toEqual([1, 2]);
    expect(streamOf(s, 2).map((c) => c.url)).toEqual([2, 99]);
  });

  it('keeps only clicks inside the window', () => {
    const s = clickStreams(EVENTS, 150, 300);
    expect(Array.from(s.recipients)).toEqual([7, 5, 8]);
    expect(streamOf(s, 0).map((c) => c.t)).toEqual([160, 170]);
  });

  it('finds the most frequent paths, skipping repeats of the same link, with distinct recipients', () => {
    const paths = frequentPaths(clickStreams(EVENTS));
    expect(paths).toEqual([
      { from: 1, to: 2, count: 2, recipients: 2 },
      { from: 2, to: 3, count: 1, recipients: 1 },
      { from: 2, to: 99, count: 1, recipients: 1 },
    ]);
  });

  it('counts paths on groups (by label…) when given, where two links of one group are a repeat', () => {
    const group = (u: number) => (u === 1 || u === 2 ? 100 : u);
    expect(frequentPaths(clickStreams(EVENTS), 10, group)).toEqual([
      { from: 100, to: 3, count: 1, recipients: 1 },
      { from: 100, to: 99, count: 1, recipients: 1 },
    ]);
  });

  it('limits the list and handles no clicks', () => {
    expect(frequentPaths(clickStreams(EVENTS), 1)).toHaveLength(1);
    const none = clickStreams(cols([[1, 1, 0, 2]]));
    expect(none.recipients.length).toBe(0);
    expect(frequentPaths(none)).toEqual([]);
  });
});
