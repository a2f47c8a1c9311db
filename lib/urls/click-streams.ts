import type { EventColumns } from '../db/events';
import { EventType } from '../event-types';
import { timeRange } from './link-table';

/**
 * Click streams (../shared/reference/adobe-tracking.md §5, "the sequence of clicks per recipient"): each recipient's
 * link clicks in time order, and the most frequent paths — a click on link A followed by the same recipient's next
 * click on link B. Clicks are email-click, opt-out and mirror-page events that carry a tracked URL.
 *
 * Kept as compressed rows (CSR): the clicks of recipient `recipients[k]` are `t/url[start[k] … start[k+1])`, so a
 * million events make a handful of typed arrays, not a million objects.
 */
export interface ClickStreams {
  /** Recipient ids with at least one click, ordered by their first click. */
  recipients: Uint32Array;
  start: Uint32Array;
  /** Click times (epoch s) and tracked URL ids, grouped by recipient, each group in time order. */
  t: Uint32Array;
  url: Uint32Array;
}

const IS_CLICK = new Uint8Array(8);
IS_CLICK[EventType.click] = 1;
IS_CLICK[EventType.optOut] = 1;
IS_CLICK[EventType.mirror] = 1;

/** The click streams of the events with fromS ≤ t < toS (events sorted by time, as loadDeliveryEvents gives them). */
export function clickStreams(ev: EventColumns, fromS = 0, toS = Infinity): ClickStreams {
  const [lo, hi] = timeRange(ev, fromS, toS);
  // Recipient ids are small dense dictionary ids: a slot array indexed by id beats a map by far.
  let maxRcp = 0;
  for (let i = lo; i < hi; i++) if (ev.url[i] !== 0 && IS_CLICK[ev.type[i]!] && ev.rcp[i]! > maxRcp) maxRcp = ev.rcp[i]!;
  const slot = new Int32Array(maxRcp + 1).fill(-1);
  // Pass 1: number each clicking recipient in order of first click and count their clicks.
  const counts: number[] = [];
  const order: number[] = [];
  let n = 0;
  for (let i = lo; i < hi; i++) {
    if (ev.url[i] === 0 || !IS_CLICK[ev.type[i]!]) continue;
    const r = ev.rcp[i]!;
    const s = slot[r]!;
    if (s < 0) {
      slot[r] = order.length;
      order.push(r);
      counts.push(1);
    } else counts[s]!++;
    n++;
  }
  const recipients = Uint32Array.from(order);
  const start = new Uint32Array(order.length + 1);
  for (let k = 0; k < order.length; k++) start[k + 1] = start[k]! + counts[k]!;
  // Pass 2: place each click at its recipient's next free position; time order is kept within each recipient.
  const fill = start.slice(0, order.length);
  const t = new Uint32Array(n);
  const url = new Uint32Array(n);
  for (let i = lo; i < hi; i++) {
    if (ev.url[i] === 0 || !IS_CLICK[ev.type[i]!]) continue;
    const k = slot[ev.rcp[i]!]!;
    const at = fill[k]!++;
    t[at] = ev.t[i]!;
    url[at] = ev.url[i]!;
  }
  return { recipients, start, t, url };
}

export interface StreamClick {
  t: number;
  url: number;
  /** Seconds since the recipient's previous click; undefined for the first. */
  gap: number | undefined;
}

/** The k-th recipient's clicks with the gaps between them. */
export function streamOf(streams: ClickStreams, k: number): StreamClick[] {
  const out: StreamClick[] = [];
  for (let i = streams.start[k]!; i < streams.start[k + 1]!; i++) {
    out.push({ t: streams.t[i]!, url: streams.url[i]!, gap: out.length ? streams.t[i]! - streams.t[i - 1]! : undefined });
  }
  return out;
}

export interface ClickPath {
  /** Group keys (tracked URL ids, or what `groupOf` maps them to) of the link clicked first and the one after it. */
  from: number;
  to: number;
  count: number;
  /** Distinct recipients who took the path. */
  recipients: number;
}

/**
 * The most frequent paths A → B over all streams, most taken first (then by A, B). `groupOf` maps a tracked URL id to
 * what the paths are counted on (its label group, its URL…); by default the URL id. A click on the same link (group)
 * again right after is a repeat, not a path, and is skipped.
 */
export function frequentPaths(
  streams: ClickStreams,
  limit = 20,
  groupOf: (urlId: number) => number = (u) => u,
): ClickPath[] {
  const paths = new Map<number, ClickPath>();
  // Path key: A * 2^26 + B, group keys are < 2^26 (tracked URL ids of one database; checked below).
  const KEY = 67108864;
  const lastSeen = new Map<number, number>();
  for (let k = 0; k < streams.recipients.length; k++) {
    let prev = -1;
    for (let i = streams.start[k]!; i < streams.start[k + 1]!; i++) {
      const g = groupOf(streams.url[i]!);
      if (prev >= 0 && g !== prev) {
        const key = prev < KEY && g < KEY ? prev * KEY + g : Number.NaN;
        if (!Number.isNaN(key)) {
          let p = paths.get(key);
          if (!p) {
            p = { from: prev, to: g, count: 0, recipients: 0 };
            paths.set(key, p);
          }
          p.count++;
          if (lastSeen.get(key) !== k) {
            lastSeen.set(key, k);
            p.recipients++;
          }
        }
      }
      prev = g;
    }
  }
  return [...paths.values()]
    .sort((a, b) => b.count - a.count || b.recipients - a.recipients || a.from - b.from || a.to - b.to)
    .slice(0, limit);
}
