import type { IdColumn, SegmentRow, TrackingDb } from './schema';

/**
 * A delivery's events as columns, in time order: what the Tracking logs table, the click streams and the
 * recipient tab read. Segments are each sorted by time but overlap (pages of different runs, late events), so the
 * columns are merged through one permutation sort on (time, segment order) — stable, so equal times keep the
 * order they were stored in. Ids index the dictionaries and the urls table as in SegmentRow (0 = none).
 */
export interface EventColumns {
  n: number;
  t: Uint32Array;
  rcp: Uint32Array;
  url: Uint32Array;
  type: Uint8Array;
  ua: Uint32Array;
  person: Uint32Array;
  flags: Uint8Array;
  /** Client IP id (`ips` dictionary), 0 = none (always 0 for segments stored before schema version 2). */
  ip: Uint32Array;
}

type ColumnName = Exclude<keyof EventColumns, 'n'>;
const COLUMNS: readonly ColumnName[] = ['t', 'rcp', 'url', 'type', 'ua', 'person', 'flags', 'ip'];
/** A segment as merged: the `ip` column may be missing (older segments). */
export type SegmentColumns = Pick<SegmentRow, Exclude<ColumnName, 'ip'> | 'n'> & { ip?: IdColumn | undefined };

export function emptyColumns(n: number): EventColumns {
  return {
    n,
    t: new Uint32Array(n),
    rcp: new Uint32Array(n),
    url: new Uint32Array(n),
    type: new Uint8Array(n),
    ua: new Uint32Array(n),
    person: new Uint32Array(n),
    flags: new Uint8Array(n),
    ip: new Uint32Array(n),
  };
}

/** Copies event `i` of `from` (a segment or columns; a missing `ip` column reads 0) to position `j` of `to`. */
export function copyEvent(to: EventColumns, j: number, from: SegmentColumns, i: number): void {
  to.t[j] = from.t[i]!;
  to.rcp[j] = from.rcp[i]!;
  to.url[j] = from.url[i]!;
  to.type[j] = from.type[i]!;
  to.ua[j] = from.ua[i]!;
  to.person[j] = from.person[i]!;
  to.flags[j] = from.flags[i]!;
  to.ip[j] = from.ip?.[i] ?? 0;
}

/** Concatenates segments (in the given order) into columns sorted by time. */
export function mergeSegments(segments: readonly SegmentColumns[]): EventColumns {
  const n = segments.reduce((s, seg) => s + seg.n, 0);
  const cat = emptyColumns(n);
  let at = 0;
  let sorted = true;
  let last = 0;
  for (const seg of segments) {
    for (const c of COLUMNS) {
      const col = seg[c];
      // A column the segment lacks (ip, before version 2) stays 0 = none.
      if (col) (cat[c] as Uint32Array).set(col.subarray(0, seg.n) as Uint32Array, at);
    }
    if (seg.n > 0) {
      if (seg.t[0]! < last) sorted = false;
      last = seg.t[seg.n - 1]!;
    }
    at += seg.n;
  }
  if (sorted) return cat;
  // Stable sort of positions by time: times are whole seconds, so sort (t * 2^21 + position) would overflow for
  // big deliveries; sort an index array with a comparator instead (Array.prototype.sort is stable).
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const t = cat.t;
  order.sort((a, b) => t[a]! - t[b]! || a - b);
  const out = emptyColumns(n);
  for (const c of COLUMNS) {
    const src = cat[c];
    const dst = out[c];
    for (let i = 0; i < n; i++) dst[i] = src[order[i]!]!;
  }
  return out;
}

/** The different ids of a column, 0 (none) left out: which dictionary strings a view needs. */
export function distinctIds(col: Uint32Array): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < col.length; i++) out.add(col[i]!);
  out.delete(0);
  return out;
}

/** Every event of a delivery, sorted by time (index [deliveryId+id]: segments in the order they were stored). */
export async function loadDeliveryEvents(db: TrackingDb, deliveryId: number): Promise<EventColumns> {
  const segments = await db.segments.where('[deliveryId+id]').between([deliveryId, 0], [deliveryId, Infinity]).toArray();
  return mergeSegments(segments);
}
