/**
 * Open-addressing tables keyed by 53-bit numbers (hashes from lib/workflow/hash.ts, or ids packed into a float),
 * in typed arrays. Measured in the worker and in Node 24:
 * - a JS Set of a million non-small numbers keeps each as a heap object; its lookups and the garbage they make
 *   cost about a second per million events, where a lookup here is a few array reads and allocates nothing;
 * - a Map<string, number> lookup of a fresh JSON string against 300 000 recipients took ~600 ns, a lookup of the
 *   string's hash here ~100 ns.
 * - Big tables (a million event ids) miss the cache on nearly every probe, so a set keeps keys only (no value
 *   array to touch as well): ~20 % faster adds of a million hashes in Node 24.
 */

/** 0 marks an empty slot, so the key 0 is stored as 2^53 (outside hash53's range, still exact). */
const ZERO = 9007199254740992;

/**
 * The slot of a key in a table of 2^(32 - shift) slots. Both halves of the key are mixed (multiplicative hashing), so
 * packed ids (url * 2^32 + recipient) spread as well as hashes do. Shared by HashMap53 and HashSet53.
 */
function mixSlot(key: number, shift: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

/** A map from 53-bit keys to positive 32-bit ids. */
export class HashMap53 {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.vals = new Int32Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
  }

  get size(): number {
    return this.count;
  }

  private slot(key: number): number {
    return mixSlot(key, this.shift);
  }

  /** The id stored for `k`, or 0. */
  get(k: number): number {
    const key = k === 0 ? ZERO : k;
    const keys = this.keys;
    let i = this.slot(key);
    for (;;) {
      const v = keys[i]!;
      if (v === key) return this.vals[i]!;
      if (v === 0) return 0;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `id` (> 0) for `k` if `k` is absent; returns false when it was already there (its id unchanged). */
  setIfAbsent(k: number, id: number): boolean {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const key = k === 0 ? ZERO : k;
    const keys = this.keys;
    let i = this.slot(key);
    for (;;) {
      const v = keys[i]!;
      if (v === key) return false;
      if (v === 0) {
        keys[i] = key;
        this.vals[i] = id;
        this.count++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** The keys, in no particular order. */
  /**
   * The value of `k` when present, else sets it to `id` (not 0) and returns 0: "get, else set" in one probe, for
   * lookups that mostly miss or insert on a miss (dedupe, interning).
   */
  getOrSet(k: number, id: number): number {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const key = k === 0 ? ZERO : k;
    const keys = this.keys;
    let i = this.slot(key);
    for (;;) {
      const v = keys[i]!;
      if (v === key) return this.vals[i]!;
      if (v === 0) {
        keys[i] = key;
        this.vals[i] = id;
        this.count++;
        return 0;
      }
      i = (i + 1) & this.mask;
    }
  }

  keyArray(): Float64Array {
    const out = new Float64Array(this.count);
    let n = 0;
    for (let j = 0; j < this.keys.length; j++) {
      const v = this.keys[j]!;
      if (v !== 0) out[n++] = v === ZERO ? 0 : v;
    }
    return out;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.vals = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.shift--;
    this.count = 0;
    for (let j = 0; j < oldKeys.length; j++) {
      const v = oldKeys[j]!;
      if (v !== 0) this.setIfAbsent(v === ZERO ? 0 : v, oldVals[j]!);
    }
  }
}

/** A set of 53-bit numbers (keys only: one array read per probe). */
export class HashSet53 {
  private keys: Float64Array;
  private mask: number;
  private shift: number;
  private count = 0;

  /** `capacity`: the members expected (the table starts at twice that, at least 16 slots). */
  constructor(capacity = 1024) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
  }

  static from(values: ArrayLike<number>): HashSet53 {
    const set = new HashSet53(values.length);
    for (let i = 0; i < values.length; i++) set.add(values[i]!);
    return set;
  }

  get size(): number {
    return this.count;
  }

  private slot(key: number): number {
    return mixSlot(key, this.shift);
  }

  has(k: number): boolean {
    const key = k === 0 ? ZERO : k;
    const keys = this.keys;
    let i = this.slot(key);
    for (;;) {
      const v = keys[i]!;
      if (v === key) return true;
      if (v === 0) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds `k`; true when it was not there before. */
  add(k: number): boolean {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const key = k === 0 ? ZERO : k;
    const keys = this.keys;
    let i = this.slot(key);
    for (;;) {
      const v = keys[i]!;
      if (v === key) return false;
      if (v === 0) {
        keys[i] = key;
        this.count++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Makes room for `n` more members at once: one rehash to the size needed, not a doubling at a time. */
  reserve(n: number): void {
    let size = this.keys.length;
    while ((this.count + n) * 2 > size) size *= 2;
    if (size > this.keys.length) this.grow(size);
  }

  /** Every member, in table order. */
  values(): Float64Array {
    const out = new Float64Array(this.count);
    let n = 0;
    const keys = this.keys;
    for (let j = 0; j < keys.length; j++) {
      const v = keys[j]!;
      if (v !== 0) out[n++] = v === ZERO ? 0 : v;
    }
    return out;
  }

  private grow(size = this.keys.length * 2): void {
    const old = this.keys;
    this.keys = new Float64Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
    this.count = 0;
    for (let j = 0; j < old.length; j++) {
      const v = old[j]!;
      if (v !== 0) this.add(v === ZERO ? 0 : v);
    }
  }
}
