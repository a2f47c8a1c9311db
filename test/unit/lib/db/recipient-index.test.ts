import { describe, expect, it } from 'vitest';
import { RecipientIndex } from '../../../../lib/db/recipient-index';

const keys = ['', 'bo@example.se', 'Anna@example.se', 'anders@example.com', 'anna.berg@example.org', 'cecilia@example.se', 'crm-10042'];

describe('recipient search index', () => {
  const index = new RecipientIndex(keys);

  it('finds addresses by prefix, case-insensitively, in address order, with the total count', () => {
    // Code-unit order: '.' sorts before '@'.
    expect(index.search('an')).toEqual({ total: 3, ids: [3, 4, 2] });
    expect(index.search('ANNA')).toEqual({ total: 2, ids: [4, 2] });
    expect(index.search('anna.')).toEqual({ total: 1, ids: [4] });
    expect(index.search('zed')).toEqual({ total: 0, ids: [] });
    expect(index.search('  ')).toEqual({ total: 0, ids: [] });
  });

  it('finds a provider recipient id by prefix and a dictionary id by number', () => {
    expect(index.search('crm-100').ids).toEqual([6]);
    expect(index.search('#5')).toEqual({ total: 1, ids: [5] });
    expect(index.search('99').ids).toEqual([]);
  });

  it('limits the list but not the count', () => {
    expect(index.search('a', 1)).toEqual({ total: 3, ids: [3] });
  });

  it('ranks recipients by address for sorting, and marks a prefix by id', () => {
    expect([1, 2, 3, 4, 5, 6].sort((a, b) => index.rank[a]! - index.rank[b]!)).toEqual([3, 4, 2, 1, 5, 6]);
    expect(Array.from(index.prefixIds('c'))).toEqual([0, 0, 0, 0, 0, 1, 1]);
  });

  // Correctness at the scale of a real dictionary; the speed is measured by test/bench/logs.ts, not gated here.
  it('finds every match among 300 000 addresses', { timeout: 60_000 }, () => {
    const many = [''];
    for (let i = 1; i <= 300_000; i++) many.push(`user${(i * 7919) % 300_000}.${i}@example.se`);
    const big = new RecipientIndex(many);
    const r = big.search('user2999', 1000);
    const expected = many.filter((k) => k.startsWith('user2999')).length;
    expect(r.total).toBe(expected);
    expect(r.ids).toHaveLength(Math.min(1000, expected));
    expect(r.ids.every((id) => many[id]!.startsWith('user2999'))).toBe(true);
  });
});
