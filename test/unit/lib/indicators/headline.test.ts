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

describe('every indicator of a hand-computed delivery', () => {
  it('matches the Adobe formulas, edge cases included', () => {
    // 1 000 to deliver, 200 text-only, 950 delivered. 300 recipients with any log, 360 opens after dedupe,
    // 60 recipient clicks by 75 persons in 110 clicks, 4 opt-outs, 9 mirror pages.
    const totals = {
      ...emptyTotals(),
      recipientOpen: 300,
      totalRecipientOpen: 360,
      recipientClick: 60,
      personClick: 75,
      totalRecipientClick: 110,
      optOut: 4,
      mirrorPage: 9,
    };
    const h = headlineIndicators({ toDeliver: 1000, delivered: 950, textOnly: 200 }, totals);
    expect(h).toMatchObject({
      toDeliver: 1000,
      delivered: 950,
      recipientOpen: 300,
      totalRecipientOpen: 360,
      estimatedRecipientOpen: 375, // round(300 × 1000 / 800)
      estimatedTotalRecipientOpen: 450, // round(360 × 1000 / 800)
      recipientClick: 60,
      personClick: 75,
      totalRecipientClick: 110,
      estimatedForwards: 15,
      optOut: 4,
      mirrorPage: 9,
    });
    expect(h.rawReactivity).toBe(0.2); // 60 / 300
    expect(h.estimatedReactivity).toBe(0.16); // 60 / 375
    expect(h.openRate).toBeCloseTo(300 / 950, 12);
    expect(h.clickRate).toBeCloseTo(60 / 950, 12);
  });

  it('estimates 0 opens when every message is text-only, and nothing when the messages to deliver are unknown', () => {
    const totals = { ...emptyTotals(), recipientOpen: 5, totalRecipientOpen: 6, recipientClick: 2 };
    const allText = headlineIndicators({ toDeliver: 40, delivered: 40, textOnly: 40 }, totals);
    expect(allText).toMatchObject({ estimatedRecipientOpen: 0, estimatedTotalRecipientOpen: 0, estimatedReactivity: undefined });
    const unknown = headlineIndicators({ delivered: 40 }, totals);
    expect(unknown).toMatchObject({ estimatedRecipientOpen: undefined, estimatedTotalRecipientOpen: undefined, estimatedReactivity: undefined });
    // Nothing yet: rates over delivered are 0 %, reactivity is undefined (no openers), forwards 0.
    const none = headlineIndicators({ toDeliver: 10, delivered: 10 }, undefined);
    expect(none).toMatchObject({ openRate: 0, clickRate: 0, rawReactivity: undefined, estimatedForwards: 0 });
  });
});
