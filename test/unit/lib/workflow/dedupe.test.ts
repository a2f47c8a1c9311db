import { describe, expect, it } from 'vitest';
import { DedupeWindow } from '../../../../lib/workflow/dedupe';
import { hash53 } from '../../../../lib/workflow/hash';
import { freshDb } from './helpers';

describe('DedupeWindow', () => {
  it('knows an event id again at its own time, in any hour, however the adds interleave', () => {
    const window = new DedupeWindow(freshDb(), 'src');
    const start = Date.UTC(2026, 10, 20, 9) / 1000;
    // 5 000 events over ~3.5 days, added out of time order (every third one late).
    const events = Array.from({ length: 5000 }, (_, i) => ({ h: hash53(`ev-${i}`), t: start + i * 61 }));
    const order = [...events.keys()].sort((a, b) => (a % 3) - (b % 3) || a - b);
    // Room made for the first half only (as a page would), the rest found as it comes.
    window.reserve(order.slice(0, 2500).map((i) => events[i]!.t));
    for (const i of order) expect(window.add(events[i]!.h, events[i]!.t)).toBe(true);
    expect(window.size).toBe(5000);
    for (const e of events) {
      expect(window.has(e.h, e.t)).toBe(true);
      expect(window.add(e.h, e.t)).toBe(false);
    }
    expect(window.size).toBe(5000);
    expect(window.has(hash53('never'), start)).toBe(false);
  });
});
