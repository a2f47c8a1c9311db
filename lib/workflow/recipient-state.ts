import { HashMap53 } from './hash-set';

/**
 * A delivery aggregate's per-recipient state (./aggregate.ts): for each recipient seen, the bitmask of event types
 * seen (1 << type) and the time (s) of the latest counted open. Recipients get slots 1, 2, 3 … in the order first
 * seen, found by id in a HashMap53; the state sits in typed arrays by slot.
 *
 * It was two Map<number, number> keyed by recipient id, the largest cost of building a humans-only aggregate (a
 * 1 M-event delivery of 300 000 recipients: ~530 ms of the view's ~970 ms of script, profiled) and of loading a big
 * delivery's aggregate for a run. The same work for 1 M events in Node 24: Maps 200–300 ms, this 96–163 ms
 * (2026-11-29). Arrays indexed by the recipient id itself were faster still (25–42 ms), but ids are store-wide, so a
 * small delivery of recently added recipients would hold arrays as long as the whole dictionary.
 */
export class RecipientState {
  private readonly slots: HashMap53;
  private count = 0;
  /** By slot (index 0 unused): the recipient id, its types bitmask, its latest counted open + 1 (0: none yet). */
  private ids: Uint32Array;
  private typeBits: Uint8Array;
  private lastOpenPlus1: Uint32Array;

  constructor(capacity = 16) {
    this.slots = new HashMap53(capacity);
    this.ids = new Uint32Array(capacity + 1);
    this.typeBits = new Uint8Array(capacity + 1);
    this.lastOpenPlus1 = new Uint32Array(capacity + 1);
  }

  /** Recipients seen. */
  get size(): number {
    return this.count;
  }

  /** The recipient's slot if seen, else 0. */
  find(rcp: number): number {
    return this.slots.get(rcp);
  }

  /** The recipient's slot, given one (with no types and no open) when first seen. */
  slotOf(rcp: number): number {
    const slot = this.claim(rcp);
    return slot < 0 ? -slot : slot;
  }

  /** {@link slotOf} in one probe of the table, negated when the slot was made now (the recipient is new). */
  claim(rcp: number): number {
    const found = this.slots.getOrSet(rcp, this.count + 1);
    if (found !== 0) return found;
    const slot = ++this.count;
    if (slot >= this.ids.length) this.grow();
    this.ids[slot] = rcp;
    return -slot;
  }

  types(slot: number): number {
    return this.typeBits[slot]!;
  }

  setTypes(slot: number, bits: number): void {
    this.typeBits[slot] = bits;
  }

  /** The time (s) of the slot's latest counted open, or undefined. */
  lastOpen(slot: number): number | undefined {
    const v = this.lastOpenPlus1[slot]!;
    return v === 0 ? undefined : v - 1;
  }

  setLastOpen(slot: number, t: number): void {
    this.lastOpenPlus1[slot] = t + 1;
  }

  /** The stored row's three arrays (lib/db/schema.ts AggregateRow), recipients in the order first seen. */
  toArrays(): { rcpIds: Uint32Array; rcpTypes: Uint8Array; rcpLastOpen: Uint32Array } {
    const n = this.count;
    const rcpLastOpen = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.lastOpenPlus1[i + 1]!;
      rcpLastOpen[i] = v === 0 ? 0 : v - 1;
    }
    return { rcpIds: this.ids.slice(1, n + 1), rcpTypes: this.typeBits.slice(1, n + 1), rcpLastOpen };
  }

  /** The state a stored row holds (a last open of 0 is none, as the row writes it). */
  static fromArrays(rcpIds: ArrayLike<number>, rcpTypes: ArrayLike<number>, rcpLastOpen: ArrayLike<number>): RecipientState {
    const state = new RecipientState(Math.max(16, rcpIds.length));
    for (let i = 0; i < rcpIds.length; i++) {
      const slot = state.slotOf(rcpIds[i]!);
      state.typeBits[slot] = rcpTypes[i]!;
      const last = rcpLastOpen[i]!;
      if (last) state.lastOpenPlus1[slot] = last + 1;
    }
    return state;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    this.ids = ids;
    const typeBits = new Uint8Array(size);
    typeBits.set(this.typeBits);
    this.typeBits = typeBits;
    const lastOpenPlus1 = new Uint32Array(size);
    lastOpenPlus1.set(this.lastOpenPlus1);
    this.lastOpenPlus1 = lastOpenPlus1;
  }
}
