import type { SegmentRow, TrackingDb } from './schema';

/**
 * # Heavy recipients: a bound on the recipient tracking tab's worst case
 *
 * The recipient tab finds a recipient's events through per-segment filters (./recipient-filter.ts) and reads the
 * segments that may hold them. That is cheap while a recipient has a few events, but the cost follows the number of
 * segments the recipient appears in: a seed address, a shared inbox or a link scanner that reacts to every send is
 * in nearly every segment, and reading them all (the bench: ~1 900 events across ~1 300 segments of a 5 M-event
 * store) took about a second.
 *
 * So the store writer counts stored events per recipient, and once a recipient reaches {@link HEAVY_EVENTS} it
 * becomes *heavy*: from then on (`from`, the first segment id of that page) its events are ALSO written, in the
 * same transaction as their segment, as small rows of their own — one per recipient and segment — keyed by
 * recipient. A lookup then reads those rows, plus, through the filters, only the segments older than `from`, which
 * hold at most HEAVY_EVENTS of its events. Whatever a recipient's activity, the tab reads at most about
 * HEAVY_EVENTS segments (and the filters' false positives).
 *
 * The invariant, kept by every writer and every delete: for a heavy recipient, each stored segment with
 * `id >= from` has all of that recipient's events in a heavy row (and a segment deleted takes its heavy rows with
 * it). The counts only decide when a recipient is promoted; counts that lag (a run cut off before they were saved)
 * promote later, which costs time, never correctness. The cost in space: the events of recipients past their
 * first HEAVY_EVENTS, stored twice (0.1–0.5 % of the events in the bench's data).
 */
export const HEAVY_EVENTS = 64;

/** One heavy recipient's events in one segment, in the segment's row order. */
export interface HeavyRow {
  id?: number;
  rcp: number;
  /** The segment's id. */
  seg: number;
  deliveryId: number;
  n: number;
  t: Uint32Array;
  url: Uint32Array;
  type: Uint8Array;
  ua: Uint32Array;
  person: Uint32Array;
  flags: Uint8Array;
  ip: Uint32Array;
}

/** A heavy recipient: every segment with `id >= from` has this recipient's events in heavy rows. */
export interface HeavyRecipientRow {
  rcp: number;
  from: number;
}

/** Stored events per recipient dictionary id (index = id), as a writer last saved them. One row, id 1. */
export interface RecipientCountsRow {
  id: 1;
  counts: Uint32Array;
}

/** The heavy rows of one segment for the recipients `isHeavy` says yes to, in recipient order of appearance. */
export function heavyRowsOf(seg: SegmentRow & { id: number }, isHeavy: (rcp: number) => boolean): HeavyRow[] {
  let rows: Map<number, number[]> | undefined;
  const rcp = seg.rcp;
  for (let i = 0; i < seg.n; i++) {
    const r = rcp[i]!;
    if (!isHeavy(r)) continue;
    rows ??= new Map();
    let at = rows.get(r);
    if (!at) rows.set(r, (at = []));
    at.push(i);
  }
  if (!rows) return [];
  const out: HeavyRow[] = [];
  for (const [r, at] of rows) {
    const n = at.length;
    const row: HeavyRow = {
      rcp: r,
      seg: seg.id,
      deliveryId: seg.deliveryId,
      n,
      t: new Uint32Array(n),
      url: new Uint32Array(n),
      type: new Uint8Array(n),
      ua: new Uint32Array(n),
      person: new Uint32Array(n),
      flags: new Uint8Array(n),
      ip: new Uint32Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = at[k]!;
      row.t[k] = seg.t[i]!;
      row.url[k] = seg.url[i]!;
      row.type[k] = seg.type[i]!;
      row.ua[k] = seg.ua[i]!;
      row.person[k] = seg.person[i]!;
      row.flags[k] = seg.flags[i]!;
      row.ip[k] = seg.ip?.[i] ?? 0;
    }
    out.push(row);
  }
  return out;
}

/**
 * The store writer's side: per-recipient counts, the heavy set, and the heavy rows of each page. Loaded once per
 * run (the counts are one typed array: 4 bytes per recipient).
 */
export class HeavyTracker {
  private counts: Uint32Array;
  /** 1 for heavy recipients, by dictionary id. */
  private heavy: Uint8Array;
  private countsChanged = false;

  private constructor(
    counts: Uint32Array,
    heavy: Iterable<number>,
    private readonly threshold: number,
  ) {
    this.counts = counts;
    let max = counts.length;
    for (const r of heavy) max = Math.max(max, r + 1);
    this.heavy = new Uint8Array(max);
    for (const r of heavy) this.heavy[r] = 1;
  }

  static async load(db: TrackingDb, threshold: number = HEAVY_EVENTS): Promise<HeavyTracker> {
    const [row, heavy] = await Promise.all([db.rcpCounts.get(1), db.heavyRcps.toCollection().primaryKeys()]);
    return new HeavyTracker(row ? row.counts.slice() : new Uint32Array(0), heavy as number[], threshold);
  }

  private grow(r: number): void {
    const size = Math.max(r + 1, this.counts.length * 2, 1024);
    if (r >= this.counts.length) {
      const c = new Uint32Array(size);
      c.set(this.counts);
      this.counts = c;
    }
    if (r >= this.heavy.length) {
      const h = new Uint8Array(size);
      h.set(this.heavy);
      this.heavy = h;
    }
  }

  /**
   * Counts a page's segments (ids given, in id order: they are written together), promotes the recipients that
   * reach the threshold (from = the page's first segment id), and returns what goes into the page's transaction.
   */
  page(segments: readonly (SegmentRow & { id: number })[]): { rows: HeavyRow[]; promoted: HeavyRecipientRow[] } {
    const promoted: HeavyRecipientRow[] = [];
    if (!segments.length) return { rows: [], promoted };
    const from = segments[0]!.id;
    for (const seg of segments) {
      const rcp = seg.rcp;
      for (let i = 0; i < seg.n; i++) {
        const r = rcp[i]!;
        if (r >= this.counts.length || r >= this.heavy.length) this.grow(r);
        const c = ++this.counts[r]!;
        if (c >= this.threshold && this.heavy[r] === 0) {
          this.heavy[r] = 1;
          promoted.push({ rcp: r, from });
        }
      }
    }
    this.countsChanged = true;
    const heavy = this.heavy;
    const isHeavy = (r: number): boolean => heavy[r] === 1;
    const rows: HeavyRow[] = [];
    for (const seg of segments) for (const row of heavyRowsOf(seg, isHeavy)) rows.push(row);
    return { rows, promoted };
  }

  /** A copy of the counts to save, when they changed since the last call. */
  takeCounts(): RecipientCountsRow | undefined {
    if (!this.countsChanged) return undefined;
    this.countsChanged = false;
    return { id: 1, counts: this.counts.slice() };
  }
}

/**
 * Builds counts, heavy recipients and heavy rows from every stored segment (the schema upgrade that introduced
 * them). Recipients already past the threshold are heavy from the first segment on.
 */
export async function buildHeavy(
  segments: { each(fn: (seg: SegmentRow) => void): Promise<unknown> },
  write: (counts: RecipientCountsRow, heavy: HeavyRecipientRow[], rows: HeavyRow[]) => Promise<unknown>,
  threshold: number = HEAVY_EVENTS,
): Promise<void> {
  let counts = new Uint32Array(1024);
  await segments.each((seg) => {
    for (let i = 0; i < seg.n; i++) {
      const r = seg.rcp[i]!;
      if (r >= counts.length) {
        const c = new Uint32Array(Math.max(r + 1, counts.length * 2));
        c.set(counts);
        counts = c;
      }
      counts[r]!++;
    }
  });
  const heavy: HeavyRecipientRow[] = [];
  for (let r = 1; r < counts.length; r++) if (counts[r]! >= threshold) heavy.push({ rcp: r, from: 0 });
  const rows: HeavyRow[] = [];
  if (heavy.length) {
    const isHeavy = (r: number): boolean => r < counts.length && counts[r]! >= threshold;
    await segments.each((seg) => {
      for (const row of heavyRowsOf(seg as SegmentRow & { id: number }, isHeavy)) rows.push(row);
    });
  }
  await write({ id: 1, counts }, heavy, rows);
}
