import { describe, expect, it } from 'vitest';
import { timeToShare, timesToShares } from '../../../../lib/indicators/time-to-share';

const H = 491_000; // an epoch hour (2026-01-05T08:00Z)

describe('time to reach a share of all opens or clicks', () => {
  it('interpolates within the hour that crosses the share, spreading the send hour from the send on', () => {
    // Send at H:30; 40 opens in hour H, 60 in hour H+1. 50 % = 50 opens: 10 of hour H+1's 60 → H+1:10, 40 min after.
    const sentAt = (H * 3600 + 1800) * 1000;
    const half = timeToShare([H, H + 1], [40, 60], 0.5, sentAt)!;
    expect(half.at).toBe((H + 1) * 3600 + 600);
    expect(half.afterSend).toBe(40 * 60);
    // 20 % = 20 opens, inside the send hour: half of its 40, spread over the 30 minutes after the send → H:45.
    expect(timeToShare([H, H + 1], [40, 60], 0.2, sentAt)!.afterSend).toBe(15 * 60);
    // 90 % = 90: 50 of 60 into hour H+1 → H+1:50 = 80 min after the send.
    expect(timeToShare([H, H + 1], [40, 60], 0.9, sentAt)!.afterSend).toBe(80 * 60);
  });

  it('skips empty hours and reaches 100 % at the end of the last hour with events', () => {
    const sentAt = H * 3600 * 1000;
    expect(timeToShare([H, H + 5, H + 9], [10, 0, 10], 1, sentAt)!.afterSend).toBe(10 * 3600);
    // Exactly at an hour boundary: 50 % of 20 is the end of the first hour, not the start of the next with events.
    expect(timeToShare([H, H + 9], [10, 10], 0.5, sentAt)!.afterSend).toBe(3600);
  });

  it('has no answer without events, and no duration without a send time', () => {
    expect(timeToShare([], [], 0.5)).toBeUndefined();
    expect(timeToShare([H], [0], 0.5)).toBeUndefined();
    const r = timeToShare([H], [4], 0.5)!;
    expect(r.at).toBe(H * 3600 + 1800);
    expect(r.afterSend).toBeUndefined();
    expect(timesToShares([H], [10], H * 3_600_000).map((x) => x?.afterSend)).toEqual([1800, 2880, 3240]);
  });
});
