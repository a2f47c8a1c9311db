import type { RecipientFilterRow, SegmentRow } from './schema';

/**
 * A per-segment Bloom filter of recipient ids: how the recipient tracking tab finds one recipient's events among
 * millions without reading every segment (target: < 300 ms across 5 M events, ../shared/architecture.md).
 *
 * Why this shape — the options weighed:
 * - An index row per event, or per (recipient, segment), would answer the lookup directly, but IndexedDB writes rows
 *   at ~7 000/s with indexes (architecture.md, "Storage"): ingest would fall from millions of events/s to thousands.
 * - Scanning the segments reads every column of every event (~180 ms per million events), > 900 ms for 5 M.
 * - The per-delivery aggregates do list their recipients (`rcpIds`), but they also carry every other per-recipient
 *   array: loading all of them costs about as much as the segments.
 * - A sorted list of each segment's distinct recipient ids is exact but as large as the recipient column itself.
 * - A Bloom filter at 10 bits per distinct recipient with 7 probes answers "maybe here" with a ~1 % false-positive
 *   rate in ~1.25 bytes per distinct recipient: one extra small row per segment, written in the segment's own
 *   transaction (one bulkAdd of a few hundred rows per page, nothing per event), built in one sort of the segment's
 *   recipient column. A lookup reads every filter (a few MB for 5 M events), then only the segments that may hold
 *   the recipient, and drops false positives by checking the column.
 */

/** Bits per distinct recipient and probes: ~0.8 % false positives (1 − e^(−k/b))^k with b = 10, k = 7. */
const BITS_PER_KEY = 10;
const PROBES = 7;

function mix(x: number): number {
  // murmur3's 32-bit finaliser: consecutive ids (the dictionary hands them out in order) spread over all bits.
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Double hashing (Kirsch–Mitzenmacher): probe i of id is (h1 + i·h2) mod m. */
function probes(id: number, nbits: number, k: number, visit: (bit: number) => boolean): boolean {
  const h1 = mix(id);
  const h2 = mix(id ^ 0x9e3779b9) | 1;
  let h = h1;
  for (let i = 0; i < k; i++) {
    if (!visit(h % nbits)) return false;
    h = (h + h2) >>> 0;
  }
  return true;
}

export interface RecipientFilter {
  bits: Uint32Array;
  k: number;
}

/** The filter of the first `n` recipient ids of `rcp` (0 = none is left out). */
export function buildRecipientFilter(rcp: Uint32Array, n: number = rcp.length): RecipientFilter {
  const ids = rcp.slice(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (ids[i] !== 0 && (i === 0 || ids[i] !== ids[i - 1])) distinct++;
  const words = Math.max(2, Math.ceil((distinct * BITS_PER_KEY) / 32));
  const bits = new Uint32Array(words);
  const nbits = words * 32;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id === 0 || (i > 0 && id === ids[i - 1])) continue;
    probes(id, nbits, PROBES, (b) => {
      bits[b >>> 5]! |= 1 << (b & 31);
      return true;
    });
  }
  return { bits, k: PROBES };
}

/** False: the segment surely has no event of `id`. True: it may have (about 1 % of the time wrongly). */
export function mayContain(filter: RecipientFilter, id: number): boolean {
  const { bits, k } = filter;
  return probes(id, bits.length * 32, k, (b) => (bits[b >>> 5]! & (1 << (b & 31))) !== 0);
}

/** The filter row stored with a segment (in the same transaction). */
export function recipientFilterRow(seg: Pick<SegmentRow, 'deliveryId' | 'rcp' | 'n'> & { id: number }): RecipientFilterRow {
  const { bits, k } = buildRecipientFilter(seg.rcp, seg.n);
  return { id: seg.id, deliveryId: seg.deliveryId, bits, k };
}
