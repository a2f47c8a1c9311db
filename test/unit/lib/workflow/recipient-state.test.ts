import { describe, expect, it } from 'vitest';
import { RecipientState } from '../../../../lib/workflow/recipient-state';

describe("an aggregate's per-recipient state", () => {
  it('keeps what two Maps by recipient id kept, in the order first seen, past many growths', () => {
    const state = new RecipientState(4);
    const types = new Map<number, number>();
    const last = new Map<number, number>();
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 20_000; i++) {
      const rcp = 1 + next(3000) * 977; // sparse, large ids
      const slot = state.slotOf(rcp);
      const bit = 1 << next(7);
      state.setTypes(slot, state.types(slot) | bit);
      types.set(rcp, (types.get(rcp) ?? 0) | bit);
      if (next(3) === 0) {
        const t = 1_790_000_000 + i;
        state.setLastOpen(slot, t);
        last.set(rcp, t);
      }
    }
    expect(state.size).toBe(types.size);
    const rows = state.toArrays();
    expect(Array.from(rows.rcpIds)).toEqual([...types.keys()]);
    expect(Array.from(rows.rcpTypes)).toEqual([...types.values()]);
    expect(Array.from(rows.rcpLastOpen)).toEqual([...types.keys()].map((id) => last.get(id) ?? 0));
    const again = RecipientState.fromArrays(rows.rcpIds, rows.rcpTypes, rows.rcpLastOpen);
    expect(again.toArrays()).toEqual(rows);
    for (const [id, t] of last) expect(again.lastOpen(again.find(id))).toBe(t);
  });

  it('tells an open at time 0 from none in memory, and finds no slot for an unseen recipient', () => {
    const state = new RecipientState();
    const slot = state.slotOf(42);
    expect(state.lastOpen(slot)).toBeUndefined();
    state.setLastOpen(slot, 0);
    expect(state.lastOpen(slot)).toBe(0);
    expect(state.find(43)).toBe(0);
    expect(state.slotOf(42)).toBe(slot);
  });
});
