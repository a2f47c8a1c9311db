import { describe, expect, it } from 'vitest';
import { buildRecipientFilter, mayContain } from '../../../../lib/db/recipient-filter';

describe('per-segment recipient filter', () => {
  it('never misses a recipient it was built with', () => {
    const rcp = Uint32Array.from({ length: 4096 }, (_, i) => 1 + ((i * 7919) % 3000));
    const f = buildRecipientFilter(rcp);
    for (const id of rcp) expect(mayContain(f, id)).toBe(true);
  });

  it('has about 1 % false positives and about 10 bits per distinct recipient', () => {
    const rcp = Uint32Array.from({ length: 4096 }, (_, i) => 1 + i * 3);
    const f = buildRecipientFilter(rcp);
    expect(f.bits.length * 32).toBeLessThanOrEqual(4096 * 10 + 32);
    let fp = 0;
    const trials = 100_000;
    for (let id = 1_000_000; id < 1_000_000 + trials; id++) if (mayContain(f, id)) fp++;
    expect(fp / trials).toBeLessThan(0.02);
  });

  it('sizes by distinct recipients, not events, and ignores 0 and the tail past n', () => {
    const rcp = new Uint32Array(4096).fill(5);
    rcp[4095] = 9;
    const f = buildRecipientFilter(rcp, 4000);
    expect(f.bits.length).toBe(2);
    expect(mayContain(f, 5)).toBe(true);
    expect(buildRecipientFilter(new Uint32Array(10)).bits.every((w) => w === 0)).toBe(true);
  });
});
