/**
 * A set of 53-bit hashes (lib/workflow/hash.ts) in one Float64Array with open addressing. A JS Set of a million
 * non-small numbers keeps each as a heap object: measured in the worker, its lookups and the garbage they make
 * cost about a second per million events. Here a lookup is a few array reads and nothing is allocated.
 */
export class HashSet53 {
  private table: Float64Array;
  private mask: number;
  private shift: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.table = new Float64Array(size);
    this.mask = size - 1;
    this.shift = 32 - Math.log2(size);
  }

  /** Also holds structured keys (ids packed into a float), so both halves are mixed (multiplicative hashing). */
  private slot(key: number): number {
    const lo = key >>> 0;
    const hi = Math.floor(key / 4294967296) | 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  static from(values: ArrayLike<number>): HashSet53 {
    const set = new HashSet53(values.length);
    for (let i = 0; i < values.length; i++) set.add(values[i]!);
    return set;
  }

  /** The members, in no particular order. */
  values(): Float64Array {
    const out = new Float64Array(this.count);
    let k = 0;
    for (let j = 0; j < this.table.length; j++) {
      const v = this.table[j]!;
      if (v !== 0) out[k++] = v === 9007199254740992 ? 0 : v;
    }
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** 0 marks an empty slot, so the hash 0 is stored as 2^53 (outside hash53's range, still exact). */
  private static key(h: number): number {
    return h === 0 ? 9007199254740992 : h;
  }

  has(h: number): boolean {
    const key = HashSet53.key(h);
    const table = this.table;
    let i = this.slot(key);
    for (;;) {
      const v = table[i]!;
      if (v === key) return true;
      if (v === 0) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds `h`; returns false when it was already there. */
  add(h: number): boolean {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    const key = HashSet53.key(h);
    const table = this.table;
    let i = this.slot(key);
    for (;;) {
      const v = table[i]!;
      if (v === key) return false;
      if (v === 0) {
        table[i] = key;
        this.count++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    this.shift--;
    this.count = 0;
    for (let j = 0; j < old.length; j++) {
      const v = old[j]!;
      if (v !== 0) this.add(v === 9007199254740992 ? 0 : v);
    }
  }
}

/**
 * A map from 53-bit hashes to positive 32-bit ids, laid out like HashSet53 (a Float64Array of keys and an
 * Int32Array of ids). Used to intern strings by their hash: measured in Node 24 on 1 M fresh strings (as
 * JSON.parse makes them) against a 300 000-entry dictionary, a Map<string, number> took ~600 ns a lookup and this
 * ~100 ns: no string objects to chase, no string comparison.
 */
export class HashMap53 {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.vals = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The id stored for `h`, or 0. */
  get(h: number): number {
    const key = h === 0 ? 9007199254740992 : h;
    const keys = this.keys;
    let i = (key >>> 0) & this.mask;
    for (;;) {
      const v = keys[i]!;
      if (v === key) return this.vals[i]!;
      if (v === 0) return 0;
      i = (i + 1) & this.mask;
    }
  }

  /** Stores `id` (> 0) for `h`, replacing any earlier id. */
  set(h: number, id: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const key = h === 0 ? 9007199254740992 : h;
    const keys = this.keys;
    let i = (key >>> 0) & this.mask;
    for (;;) {
      const v = keys[i]!;
      if (v === key || v === 0) {
        if (v === 0) this.count++;
        keys[i] = key;
        this.vals[i] = id;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.vals = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.count = 0;
    for (let j = 0; j < oldKeys.length; j++) {
      const v = oldKeys[j]!;
      if (v !== 0) this.set(v === 9007199254740992 ? 0 : v, oldVals[j]!);
    }
  }
}
