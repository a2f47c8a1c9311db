import { describe, expect, it } from 'vitest';
import { emptyTotals } from '../../../../lib/workflow/aggregate';
import { headlineIndicators, ratio } from '../../../../lib/indicators/headline';

describe('headline indicators', () => {
  it('computes open rate and click-through rate over delivered messages', () => {
    const totals = { ...emptyTotals(), recipientOpen: 250, recipientClick: 50, totalRecipientClick: 80, optOut: 3 };
    const h = headlineIndicators({ toDeliver: 1100, delivered: 1000 }, totals);
    expect(h.openRate).toBeCloseTo(0.25);
    expect(h.clickRate).toBeCloseTo(0.05);
    expect(h.rawReactivity).toBeCloseTo(0.2);
    expect(h).toMatchObject({ toDeliver: 1100, delivered: 1000, recipientOpen: 250, recipientClick: 50, optOut: 3 });
  });

  it('leaves rates undefined, not 0 % or Infinity, when nothing was delivered or the count is unknown', () => {
    expect(headlineIndicators({ delivered: 0 }, emptyTotals()).openRate).toBeUndefined();
    expect(headlineIndicators({}, undefined).clickRate).toBeUndefined();
    expect(headlineIndicators({ delivered: 10 }, undefined).recipientOpen).toBe(0);
    expect(ratio(1, 0)).toBeUndefined();
  });
});

describe('headline indicators with estimates', () => {
  it('adds the text-only extrapolation and forwards to the headline numbers', () => {
    const totals = { ...emptyTotals(), recipientOpen: 1997, totalRecipientOpen: 2600, recipientClick: 428, personClick: 440 };
    const h = headlineIndicators({ toDeliver: 5200, delivered: 5128, textOnly: 600 }, totals);
    expect(h).toMatchObject({
      estimatedRecipientOpen: 2257,
      estimatedTotalRecipientOpen: 2939, // 2600 × 5200 / 4600 = 2939.13
      personClick: 440,
      estimatedForwards: 12,
    });
    expect(h.estimatedReactivity).toBeCloseTo(428 / 2257, 10);
  });
});
