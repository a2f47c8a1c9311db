import { act } from 'preact/test-utils';
import { expect } from 'vitest';
import type { LinesCanvas } from '../../../components/VirtualTable';

/**
 * What a body cell of components/VirtualTable.tsx says: a tag's text, or, for a plain or link column (whose text is
 * drawn in its column's lines, not in the cell), the name of the cell or of its link.
 */
export function cellText(cell: Element): string {
  const named = cell.querySelector('a[aria-label]') ?? cell;
  return named.getAttribute('aria-label') ?? cell.textContent ?? '';
}

/** Each cell's text of a body row, joined by a space. */
export const rowText = (row: Element): string => [...row.children].map(cellText).join(' ');

/** The lines the table's canvas shows, by column (none for a tag column) then line (ColumnLines). */
export const drawnLines = (root: ParentNode): readonly (readonly string[] | undefined)[] =>
  root.querySelector<LinesCanvas>('.vtable__canvas')!.drawnLines ?? [];

/**
 * Checks that the column lines (drawn on `.vtable__canvas`, which keeps what it shows as `drawnLines`) show, line by
 * line, what the shown row elements' cells say, in order: the text a user sees is the text assistive technology reads.
 * Tag columns have no lines.
 */
export function expectLinesMatchRows(root: ParentNode): void {
  const rows = [...root.querySelectorAll('.vtable__body .vtable__row:not([hidden])')];
  const drawn = drawnLines(root);
  if (rows[0]) expect(drawn.length).toBe(rows[0].children.length);
  drawn.forEach((lines, c) => {
    if (rows[0]?.children[c]?.querySelector('.type-tag')) {
      expect(lines).toBeUndefined();
      return;
    }
    expect([...(lines ?? [])], `column ${c}`).toEqual(rows.map((r) => cellText(r.children[c]!).replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, ' ')));
  });
}

/**
 * Animation frames by hand: `frame()` runs the callbacks requested so far, `frames` holds those waiting, `restore()`
 * puts the window's own back. happy-dom runs each frame on `setImmediate`, in a race with a test's `setTimeout`: a
 * test that waits for a fast scroll's fill (two frames later) must run its frames itself.
 */
export function framesByHand(): { frames: FrameRequestCallback[]; frame: () => Promise<void>; restore: () => void } {
  const frames: FrameRequestCallback[] = [];
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = (cb: FrameRequestCallback): number => frames.push(cb);
  const frame = async (): Promise<void> => {
    await act(() => {
      for (const cb of frames.splice(0)) cb(performance.now());
    });
  };
  return { frames, frame, restore: () => (window.requestAnimationFrame = raf) };
}
