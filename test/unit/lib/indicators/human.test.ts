import { describe, expect, it } from 'vitest';
import type { EventColumns } from '../../../../lib/db/events';
import { EventFlag, EventType } from '../../../../lib/event-types';
import { columns } from '../../helpers/columns';
import { humanAggregate, humanEvents } from '../../../../lib/indicators/human';
import { classifyEvents, MachineClass } from '../../../../lib/indicators/machine';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const AGENTS: Record<number, string> = { 1: CHROME, 2: GMAIL_PROXY, 3: 'Mozilla/5.0' };
const { click, open, optOut } = EventType;


const HOUR = 1_800_000_000 - (1_800_000_000 % 3600); // an hour boundary, epoch seconds

/**
 * Hand-counted: recipient 1 is a person whose open came 20 s after Apple's proxy fetched the image; recipient 2 opened
 * in Gmail (its image proxy's fetch: a person's open); recipient 3's mailbox scanner clicked three links and the opt-out
 * link in a second, then the person clicked
 * one an hour later; recipient 4 is flagged a bot by the source; recipient 5 is a person who opened twice within a
 * minute, clicked and opted out.
 */
function delivery(): EventColumns {
  return columns([
    [HOUR + 0, 1, open, 0, 0, EventFlag.proxy],
    [HOUR + 20, 1, open, 0, 1, 0],
    [HOUR + 30, 2, open, 0, 2, 0],
    [HOUR + 40, 3, click, 11, 1, 0],
    [HOUR + 40, 3, click, 12, 1, 0],
    [HOUR + 41, 3, click, 13, 1, 0],
    [HOUR + 41, 3, optOut, 14, 1, 0],
    [HOUR + 50, 4, click, 11, 1, EventFlag.machine],
    [HOUR + 60, 5, open, 0, 1, 0],
    [HOUR + 90, 5, open, 0, 1, 0],
    [HOUR + 100, 5, click, 12, 1, 0],
    [HOUR + 110, 5, optOut, 14, 1, 0],
    [HOUR + 3640, 3, click, 11, 1, 0],
  ]);
}

describe('the human-only aggregate', () => {
  it('counts only people (and their opens through Gmail’s proxy), with the same definitions as the stored aggregate', () => {
    const cols = delivery();
    const { row, byClass } = humanAggregate(7, cols, classifyEvents(cols, (id) => AGENTS[id]));

    expect(byClass).toEqual([6, 1, 1, 1, 4]); // human, machine, privacy proxy, image proxy, burst
    expect(row.deliveryId).toBe(7);
    expect(row.totals).toMatchObject({
      events: 7,
      recipientOpen: 4, // recipients 1, 2, 3 (by the person's click) and 5; not 4 (a bot only)
      rawOpens: 4,
      totalRecipientOpen: 3, // recipient 1's own open now counts; recipient 5's second open is a repeat
      recipientClick: 2, // recipients 3 and 5
      totalRecipientClick: 2,
      optOut: 1, // recipient 5's; the scanner's is out
      machine: 0,
      proxy: 0,
    });
    // Per link: only the human clicks (the scanner's burst and the bot are out); per hour the same.
    const links = new Map(Array.from(row.linkIds, (id, i) => [id, row.linkCounts[i]]));
    expect(links).toEqual(new Map([[11, 1], [12, 1], [14, 1]]));
    expect(Array.from(row.hours)).toEqual([HOUR / 3600, HOUR / 3600 + 1]);
    expect(Array.from(row.hourOpens)).toEqual([3, 0]);
    expect(Array.from(row.hourClicks)).toEqual([1, 1]);
    // The device breakdown's per-agent counts: the scanner's and the bot's clicks are gone.
    const agents = new Map(Array.from(row.agentIds ?? [], (id, i) => [id, [row.agentOpens![i], row.agentClicks![i]]]));
    expect(agents).toEqual(new Map([[1, [2, 2]], [2, [1, 0]]]));
  });

  it('with every event human, equals the aggregate of all events', () => {
    const cols = delivery();
    const classes = classifyEvents(cols, (id) => AGENTS[id]);
    const all = humanAggregate(7, cols, new Uint8Array(cols.n)); // every class 0 = human
    expect(all.byClass).toEqual([cols.n, 0, 0, 0, 0]);
    expect(all.row.totals.events).toBe(cols.n);
    // The full count drops recipient 1's own open as a repeat of the proxy's; the human count keeps it.
    expect(all.row.totals.totalRecipientOpen).toBe(3);
    expect(all.row.totals.recipientOpen).toBe(5);
    expect(classes.filter((c) => c === MachineClass.human)).toHaveLength(6);
    expect(classes.filter((c) => c === MachineClass.imageProxy)).toHaveLength(1);
  });

  it('is empty, not broken, for a delivery of machines only', () => {
    // Apple's proxy, known by its bare agent alone, and a bot.
    const cols = columns([[HOUR, 1, open, 0, 3, 0], [HOUR + 1, 2, click, 3, 1, EventFlag.machine]]);
    const { row, byClass } = humanAggregate(1, cols, classifyEvents(cols, (id) => AGENTS[id]));
    expect(byClass).toEqual([0, 1, 1, 0, 0]);
    expect(row.totals.events).toBe(0);
    expect(row.hours).toHaveLength(0);
  });

  it('keeps the human events as columns, in time order, for the views that count from events', () => {
    const cols = delivery();
    const kept = humanEvents(cols, classifyEvents(cols, (id) => AGENTS[id]));
    expect(kept.n).toBe(7);
    expect(Array.from(kept.rcp)).toEqual([1, 2, 5, 5, 5, 5, 3]);
    expect(Array.from(kept.t)).toEqual([20, 30, 60, 90, 100, 110, 3640].map((s) => HOUR + s));
    expect(Array.from(kept.url)).toEqual([0, 0, 0, 0, 12, 14, 11]);
  });
});
