import { describe, expect, it } from 'vitest';
import { mergeSegments } from '../../../../lib/db/events';

const seg = (t: number[], rcp: number[]) => {
  const n = t.length;
  return {
    n,
    t: Uint32Array.from(t),
    rcp: Uint32Array.from(rcp),
    url: new Uint32Array(n),
    type: new Uint8Array(n).fill(2),
    ua: new Uint32Array(n),
    person: new Uint32Array(n),
    flags: new Uint8Array(n),
  };
};

describe('a delivery\'s events as columns', () => {
  it('concatenates segments already in time order without reordering', () => {
    const cols = mergeSegments([seg([1, 2], [10, 11]), seg([2, 5], [12, 13])]);
    expect(Array.from(cols.t)).toEqual([1, 2, 2, 5]);
    expect(Array.from(cols.rcp)).toEqual([10, 11, 12, 13]);
  });

  it('merges overlapping segments by time, stable for equal times, keeping rows together', () => {
    const cols = mergeSegments([seg([5, 9], [1, 2]), seg([3, 5, 7], [3, 4, 5])]);
    expect(Array.from(cols.t)).toEqual([3, 5, 5, 7, 9]);
    expect(Array.from(cols.rcp)).toEqual([3, 1, 4, 5, 2]);
    expect(cols.n).toBe(5);
  });

  it('handles no segments', () => {
    expect(mergeSegments([]).n).toBe(0);
  });
});
