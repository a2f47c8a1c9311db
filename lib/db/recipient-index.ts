import { dictionaryKeys } from './dictionary';
import type { TrackingDb } from './schema';

/**
 * Recipient search over the whole recipients dictionary (hundreds of thousands of addresses): the addresses sorted
 * once, lower-cased, so a prefix is two binary searches, whatever the dictionary's size. The same order gives every
 * recipient a rank, which the Tracking logs table sorts its recipient column by without comparing strings.
 */
export class RecipientIndex {
  /** Recipient ids in address order. */
  readonly sorted: Uint32Array;
  /** Lower-cased addresses in the same order. */
  private readonly lower: string[];
  /** rank[id] = position of recipient `id` in address order (index 0 unused). */
  readonly rank: Uint32Array;

  /** `keys[id]` is recipient `id`'s address (index 0 unused, as dictionaryKeys returns). */
  constructor(readonly keys: readonly string[]) {
    const n = Math.max(0, keys.length - 1);
    // The lower-cased address is the address itself when it has no capitals (most do): keep one string, not two.
    // toLowerCase returns a new string even then, and a second copy of ~300 000 addresses is ~13 MB more for
    // every garbage collection of the page to mark and move.
    const lowerById = keys.map((k) => {
      const s = k ?? '';
      const lower = s.toLowerCase();
      return lower === s ? s : lower;
    });
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i + 1;
    // Code-unit order (not localeCompare: ~10× slower over 500 000 strings, and a prefix search needs only a total
    // order in which every string with a given prefix is contiguous).
    const order = Array.from(ids).sort((a, b) => {
      const x = lowerById[a]!;
      const y = lowerById[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    this.sorted = Uint32Array.from(order);
    this.lower = order.map((id) => lowerById[id]!);
    this.rank = new Uint32Array(n + 1);
    for (let r = 0; r < n; r++) this.rank[this.sorted[r]!] = r;
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The first position whose address is ≥ `s`. */
  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.lower.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lower[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Positions [from, to) of the addresses starting with `prefix` (case-insensitive). */
  prefixRange(prefix: string): { from: number; to: number } {
    const p = prefix.trim().toLowerCase();
    if (p === '') return { from: 0, to: this.lower.length };
    // '\uffff' sorts after every code unit an address can continue with.
    return { from: this.lowerBound(p), to: this.lowerBound(p + '\uffff') };
  }

  /**
   * Recipients whose address starts with `query`, in address order, at most `limit`; plus recipient `#id` when the
   * query is a number (or `#number`) naming one. `total` counts every match, not only those returned.
   */
  search(query: string, limit = 50): { total: number; ids: number[] } {
    const q = query.trim();
    if (q === '') return { total: 0, ids: [] };
    const ids: number[] = [];
    const idMatch = /^#?(\d{1,10})$/.exec(q);
    const byId = idMatch ? Number(idMatch[1]) : 0;
    if (byId > 0 && byId < this.keys.length) ids.push(byId);
    const { from, to } = this.prefixRange(q);
    for (let i = from; i < to && ids.length < limit; i++) {
      const id = this.sorted[i]!;
      if (id !== byId) ids.push(id);
    }
    const total = to - from + (byId > 0 && byId < this.keys.length && !(this.rank[byId]! >= from && this.rank[byId]! < to) ? 1 : 0);
    return { total, ids };
  }

  /** Marks (in a bitmap by id) the recipients whose address starts with `prefix`: the logs table's recipient filter. */
  prefixIds(prefix: string): Uint8Array {
    const marks = new Uint8Array(this.keys.length);
    const { from, to } = this.prefixRange(prefix);
    for (let i = from; i < to; i++) marks[this.sorted[i]!] = 1;
    return marks;
  }
}

let cache: { db: TrackingDb; chunks: number; index: RecipientIndex } | undefined;

/**
 * The recipient index of `db`, built once per page and rebuilt only when the recipients dictionary gained chunks
 * (one count over the dictionary's key range tells). Dexie calls only: run it in liveQuery, which re-runs it when a
 * run adds recipients.
 */
export async function recipientIndex(db: TrackingDb): Promise<RecipientIndex> {
  const chunks = await db.dicts.where('[name+firstId]').between(['recipients', 0], ['recipients', Infinity]).count();
  if (cache && cache.db === db && cache.chunks === chunks) return cache.index;
  const index = new RecipientIndex(await dictionaryKeys(db, 'recipients'));
  cache = { db, chunks, index };
  return index;
}
