import { expect } from 'vitest';

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

/**
 * Checks that the column lines (`.vtable__lines`) show, line by line, what the shown row elements' cells say, in
 * order: the text a user sees is the text assistive technology reads. Tag columns have no lines.
 */
export function expectLinesMatchRows(root: ParentNode): void {
  const rows = [...root.querySelectorAll('.vtable__body .vtable__row:not([hidden])')];
  const blocks = [...root.querySelector('.vtable__lines')!.children];
  if (rows[0]) expect(blocks.length).toBe(rows[0].children.length);
  blocks.forEach((block, c) => {
    if (rows[0]?.children[c]?.querySelector('.type-tag')) {
      expect(block.textContent).toBe('');
      return;
    }
    const lines = rows.length ? (block.textContent ?? '').split('\n') : [];
    expect(lines, `column ${c}`).toEqual(rows.map((r) => cellText(r.children[c]!).replace(/[\n\r\t\v\f\u0085\u2028\u2029]/g, ' ')));
  });
}
