import { describe, expect, it } from 'vitest';
import { HashSet53 } from '../../../../lib/workflow/hash-set';
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
  });
});
