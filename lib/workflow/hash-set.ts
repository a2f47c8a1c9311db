/**
 * A set of 53-bit hashes (lib/workflow/hash.ts) in one Float64Array with open addressing. A JS Set of a million
 * non-small numbers keeps each as a heap object: measured in the worker, its lookups and the garbage they make
 * cost about a second per million events. Here a lookup is a few array reads and nothing is allocated.
 */
export class HashSet53 {
  private table: Float64Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.table = new Float64Array(size);
    this.mask = size - 1;
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
    let i = (key >>> 0) & this.mask; // the low 32 bits are well mixed by hash53
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
    let i = (key >>> 0) & this.mask;
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
    this.count = 0;
    for (let j = 0; j < old.length; j++) {
      const v = old[j]!;
      if (v !== 0) this.add(v === 9007199254740992 ? 0 : v);
    }
  }
}
