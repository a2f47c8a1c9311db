import { describe, expect, it } from 'vitest';
import { estimatedForwards, estimatedOpens, estimatedReactivity } from '../../../../lib/indicators/estimates';

describe('Adobe estimated indicators', () => {
  it('extrapolates opens from HTML messages to all messages, rounded', () => {
    // 5 200 to deliver, 600 text-only: 1 997 opens among 4 600 HTML messages → 1 997 × 5 200 / 4 600 = 2 257.48…
    expect(estimatedOpens(1997, 5200, 600)).toBe(2257);
    // 7 × 3 / 2 = 10.5 rounds half up like Adobe's round(…, 0)
    expect(estimatedOpens(7, 3, 1)).toBe(11);
    expect(estimatedOpens(40, 100, 0)).toBe(40);
    expect(estimatedOpens(40, 100, undefined)).toBe(40);
  });

  it('is 0 when every message is text-only or nothing was to deliver', () => {
    expect(estimatedOpens(12, 100, 100)).toBe(0);
    expect(estimatedOpens(12, undefined, undefined)).toBe(0);
    expect(estimatedOpens(0, 0, 0)).toBe(0);
  });

  it('estimates forwards and reactivity', () => {
    expect(estimatedForwards(1, 1)).toBe(0);
    expect(estimatedForwards(3, 1)).toBe(2); // one recipient forwarded to two friends: recipient 1, persons 3
    expect(estimatedReactivity(428, 2257)).toBeCloseTo(0.18963, 5);
    expect(estimatedReactivity(5, 0)).toBeUndefined();
  });
});
