import { describe, expect, it } from 'vitest';
import { HashMap53, HashSet53 } from '../../../../lib/workflow/hash-set';
import { hash53 } from '../../../../lib/workflow/hash';

describe('HashSet53', () => {
  it('behaves as a Set of hashes through growth, including 0 and the largest hash', () => {
    const set = new HashSet53(4);
    const reference = new Set<number>();
    const values = [0, 2 ** 53 - 1, ...Array.from({ length: 20_000 }, (_, i) => hash53(`event-${i % 15_000}`))];
    for (const v of values) expect(set.add(v)).toBe(!reference.has(v) && (reference.add(v), true));
    expect(set.size).toBe(reference.size);
    for (const v of reference) expect(set.has(v)).toBe(true);
    for (let i = 15_000; i < 16_000; i++) expect(set.has(hash53(`event-${i}`))).toBe(false);
    expect(Array.from(set.values()).sort()).toEqual([...reference].sort());
  });

  it('spreads structured keys (ids packed into a float, negatives too) and round-trips through values()', () => {
    const keys: number[] = [];
    for (let rcp = 1; rcp <= 3000; rcp++) keys.push(rcp * 1048576 + (rcp % 7), -rcp, 17 * 4294967296 + rcp);
    const set = new HashSet53();
    for (const k of keys) set.add(k);
    expect(set.size).toBe(keys.length);
    for (const k of keys) expect(set.has(k)).toBe(true);
    expect(set.has(5 * 1048576 + 6)).toBe(false);
    expect(HashSet53.from(set.values()).size).toBe(keys.length);
  });

  it('keeps its members through reserve(), and takes as many more as reserved', () => {
    const set = new HashSet53(4);
    for (let i = 1; i <= 10; i++) set.add(i * 7919);
    set.reserve(5000);
    set.reserve(0);
    for (let i = 1; i <= 10; i++) expect(set.add(i * 7919)).toBe(false);
    for (let i = 11; i <= 5010; i++) expect(set.add(i * 7919)).toBe(true);
    expect(set.size).toBe(5010);
    for (let i = 1; i <= 5010; i++) expect(set.has(i * 7919)).toBe(true);
    expect(set.has(7)).toBe(false);
  });

  it('HashMap53.getOrSet returns the stored value, or sets the given one and returns 0, through growth', () => {
    const map = new HashMap53(4);
    const reference = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const k = i === 0 ? 0 : hash53(`key-${i % 6_000}`);
      const got = map.getOrSet(k, reference.size + 1);
      if (reference.has(k)) expect(got).toBe(reference.get(k));
      else {
        expect(got).toBe(0);
        reference.set(k, reference.size + 1);
      }
    }
    expect(map.size).toBe(reference.size);
    for (const [k, v] of reference) expect(map.get(k)).toBe(v);
  });
});
