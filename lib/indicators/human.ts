import { dictionaryStrings } from '../db/dictionary';
import { copyEvent, distinctIds, emptyColumns, loadDeliveryEvents, type EventColumns } from '../db/events';
import type { AggregateRow, TrackingDb } from '../db/schema';
import { EventFlag } from '../event-types';
import { addEvent, newAggregate, toRow } from '../workflow/aggregate';
import { classifyEvents, countsAsHuman, DEFAULT_MACHINE_RULES, MACHINE_CLASS_NAMES, type MachineRules } from './machine';

/** What a view counts: every event, or only those that count as a person's (the views' `who` hash param). */
export type Who = 'all' | 'human';

/**
 * A delivery's aggregate over its human events only: the "human-only" side of every indicator
 * (../shared/product.md, "Machine vs human": "Every indicator shows all / human-only").
 *
 * The stored aggregate counts every event, as the reference does. This one is built on read from the raw events and
 * their classes (./machine.ts `classifyEvents`), by the same `addEvent` the ingest uses, so every definition (a click
 * implies an open, repeat opens within a minute counted once, persons, per-link and per-hour counts) is the same one,
 * applied to fewer events. Opens through a mail provider's image proxy (Gmail) count: the proxy fetches when the reader
 * opens the mail (./machine.ts `countsAsHuman`). A consequence worth knowing: a person's open a few seconds after
 * Apple's proxy fetched the image counts here, where the full count drops it as a repeat of the proxy's open.
 */
export interface HumanAggregate {
  /** The aggregate of the events that count as human, in the stored aggregate's shape (`through` 0: built on read). */
  row: AggregateRow;
  /** Events per MachineClass code (index = code; [0] the humans). Left out: the codes `countsAsHuman` refuses. */
  byClass: number[];
}

/** `cols` in time order (lib/db/events.ts `loadDeliveryEvents`), `classes` from `classifyEvents` over them. */
export function humanAggregate(deliveryId: number, cols: EventColumns, classes: Uint8Array): HumanAggregate {
  const agg = newAggregate(deliveryId);
  const byClass = MACHINE_CLASS_NAMES.map(() => 0);
  // Only the source's flags go in; the repeat-open bit is decided again among the human events.
  const keep = EventFlag.machine | EventFlag.proxy;
  for (let i = 0; i < cols.n; i++) {
    const c = classes[i]!;
    byClass[c]!++;
    if (!countsAsHuman(c)) continue;
    addEvent(agg, cols.t[i]!, cols.rcp[i]!, cols.url[i]!, cols.type[i]!, cols.ua[i]!, cols.person[i]!, cols.flags[i]! & keep);
  }
  return { row: toRow(agg), byClass };
}

/** The events of `cols` that count as human, in a new set of columns (time order kept). */
export function humanEvents(cols: EventColumns, classes: Uint8Array): EventColumns {
  let n = 0;
  for (let i = 0; i < cols.n; i++) if (countsAsHuman(classes[i]!)) n++;
  const out = emptyColumns(n);
  for (let i = 0, j = 0; i < cols.n; i++) if (countsAsHuman(classes[i]!)) copyEvent(out, j++, cols, i);
  return out;
}

/** Each event's class (./machine.ts), reading the user agents the classification needs. */
export async function classifyDelivery(
  db: TrackingDb,
  cols: EventColumns,
  rules: MachineRules = DEFAULT_MACHINE_RULES,
): Promise<Uint8Array> {
  const agents = await dictionaryStrings(db, 'agents', distinctIds(cols.ua));
  return classifyEvents(cols, (id) => agents.get(id), rules);
}

/** Human aggregates built lately, least recently used first (each holds a delivery's per-recipient state). */
const built = new Map<string, Promise<HumanAggregate>>();
const BUILT_MAX = 3;

/**
 * Reads a delivery's events and builds its human aggregate: every stored event is read and classified, so the cost
 * follows the delivery's size (the stored aggregate, which the "all" side reads, costs nothing to show): ~1 s for a
 * million events here. The last few built are kept, keyed by delivery, rules and the delivery's stored events (the
 * count and newest id of its segments, two key-only reads), so going back to "Humans only", or to another tab with it,
 * is immediate until new events come in or a rule changes. Callers only read what they get.
 */
export async function loadHumanAggregate(
  db: TrackingDb,
  deliveryId: number,
  rules: MachineRules = DEFAULT_MACHINE_RULES,
): Promise<HumanAggregate> {
  const range = db.segments.where('[deliveryId+id]').between([deliveryId, 0], [deliveryId, Infinity]);
  const [count, newest] = await Promise.all([range.count(), range.reverse().limit(1).keys()]);
  const key = JSON.stringify([db.name, deliveryId, rules.burstLinks, rules.burstGapS, count, newest[0] ?? null]);
  let entry = built.get(key);
  if (entry) {
    built.delete(key); // the most recently used goes last
  } else {
    entry = (async () => {
      const cols = await loadDeliveryEvents(db, deliveryId);
      return humanAggregate(deliveryId, cols, await classifyDelivery(db, cols, rules));
    })();
    entry.catch(() => built.delete(key));
  }
  built.set(key, entry);
  while (built.size > BUILT_MAX) built.delete(built.keys().next().value!);
  return entry;
}
