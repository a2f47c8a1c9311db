import { describe, expect, it } from 'vitest';
import { addEvent, fromRow, newAggregate, toRow } from '../../../../lib/workflow/aggregate';
import { EventFlag, EventType } from '../../../../lib/event-types';

const T0 = 1_790_000_000; // epoch seconds

describe('incremental delivery aggregates (Adobe Campaign tracking indicators)', () => {
  it('counts a hand-computed delivery exactly', () => {
    const agg = newAggregate(1);
    // Recipient 1 opens, opens again 30 s later (repeat within 1 min: dropped), then 2 minutes later (counted).
    expect(addEvent(agg, T0, 1, 0, EventType.open, 1, 0, 0)).toBe(0);
    expect(addEvent(agg, T0 + 30, 1, 0, EventType.open, 1, 0, 0)).toBe(EventFlag.repeatOpen);
    addEvent(agg, T0 + 150, 1, 0, EventType.open, 1, 0, 0);
    // Recipient 2 never loads the pixel but clicks link 10 twice: a click implies an open.
    addEvent(agg, T0 + 200, 2, 10, EventType.click, 2, 0, 0);
    addEvent(agg, T0 + 260, 2, 10, EventType.click, 2, 0, 0);
    // Recipient 2 forwarded the email: another browser (person 7) clicks link 11.
    addEvent(agg, T0 + 4000, 2, 11, EventType.click, 3, 7, 0);
    // Recipient 3 opts out; recipient 4 views the mirror page; recipient 5 is a proxy open.
    addEvent(agg, T0 + 300, 3, 12, EventType.optOut, 1, 0, 0);
    addEvent(agg, T0 + 400, 4, 13, EventType.mirror, 1, 0, 0);
    addEvent(agg, T0 + 5, 5, 0, EventType.open, 4, 0, EventFlag.proxy);

    expect(agg.totals).toMatchObject({
      events: 9,
      recipientOpen: 5, // 1, 2 (click), 3 (opt-out log), 4 (mirror log), 5
      totalRecipientOpen: 3, // 1 (×2 after dedupe) + 5
      rawOpens: 4,
      recipientClick: 1,
      personClick: 2, // recipient 2 in browser UA 2, and person 7
      totalRecipientClick: 3,
      optOut: 1,
      mirrorPage: 1,
      proxy: 1,
      firstEvent: T0,
      lastEvent: T0 + 4000,
    });
    expect(agg.links.get(10)).toBe(2);
    expect(agg.links.get(11)).toBe(1);
    // (10, rcp 2), (11, rcp 2), and the opt-out (12, 3) and mirror (13, 4) links: all count in hot clicks.
    expect(agg.linkClickers.size).toBe(4);
    const hour = Math.floor(T0 / 3600);
    const firstHour = agg.hours.get(hour)!;
    expect(firstHour[0] + (agg.hours.get(hour + 1)?.[0] ?? 0)).toBe(3);
    // Per agent: UA 1 has recipient 1's two counted opens (the repeat is not counted); UA 2 and 3 the clicks;
    // opt-out and mirror logs count neither as opens nor as clicks.
    expect(agg.agents.get(1)).toEqual([2, 0]);
    expect(agg.agents.get(2)).toEqual([0, 2]);
    expect(agg.agents.get(3)).toEqual([0, 1]);
    expect(agg.agents.get(4)).toEqual([1, 0]);
    const row = toRow(agg);
    expect(Array.from(row.agentOpens!).reduce((a, b) => a + b, 0)).toBe(agg.totals.totalRecipientOpen);
    expect(Array.from(row.agentClicks!).reduce((a, b) => a + b, 0)).toBe(agg.totals.totalRecipientClick);
    expect(fromRow(row).agents).toEqual(agg.agents);
  });

  it('survives a round trip through its stored row', () => {
    const agg = newAggregate(3);
    for (let i = 0; i < 50; i++) addEvent(agg, T0 + i * 100, i % 7, i % 3, i % 4 === 0 ? 1 : 2, i % 5, 0, 0);
    const again = fromRow(toRow(agg));
    expect(again.totals).toEqual(agg.totals);
    expect(again.recipients.toArrays()).toEqual(agg.recipients.toArrays());
    expect(Array.from(again.clickPersons.values()).sort()).toEqual(Array.from(agg.clickPersons.values()).sort());
    // Continuing from the stored row gives what continuing in memory gives.
    addEvent(agg, T0 + 9000, 1, 1, 2, 1, 0, 0);
    addEvent(again, T0 + 9000, 1, 1, 2, 1, 0, 0);
    expect(again.totals).toEqual(agg.totals);
  });
});
