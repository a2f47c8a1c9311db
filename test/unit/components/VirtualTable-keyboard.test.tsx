// @vitest-environment happy-dom
import { options, render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ROW_HEIGHT, VirtualTable, type VirtualColumn } from '../../../components/VirtualTable';
import { installI18n } from '../helpers/fake-i18n';
import { cellText, drawnLines, expectLinesMatchRows, framesByHand } from '../helpers/vtable';

// The row cursor of the virtualised table: one Tab stop, a cursor by row index that survives the reuse of the row
// elements while scrolling, and Enter following the active row's in-view link (never anything else).

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
  location.hash = '';
  // happy-dom does no layout: give the scrolling body the size a browser would (300 px = 10 rows).
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  // The virtualizer clamps a scroll to scrollHeight, which the body takes from its spacer's height.
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const space = this.querySelector<HTMLElement>(':scope > .vtable__space');
      return space ? parseFloat(space.style.height) : 0;
    },
  });
});
afterEach(() => {
  render(null, root);
  root.remove();
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
});

type K = 'n' | 'who';
const COLUMNS: VirtualColumn<K>[] = [
  { key: 'n', label: 'Number', width: '1fr' },
  { key: 'who', label: 'Recipient', width: '1fr', kind: 'link' },
];
// Row 7's target is hostile and row 8 has none: Enter must not follow either.
const HREF = (row: number): string | undefined => (row === 7 ? 'javascript:alert(1)' : row === 8 ? undefined : `#/recipients/${row}`);

async function draw(count = 1000, title?: (row: number, key: K) => string | undefined): Promise<HTMLElement> {
  await act(() => {
    render(<VirtualTable label="Logs" columns={COLUMNS} count={count} text={(row, key) => `${key} ${row}`} href={HREF} title={title} />, root);
  });
  return root.querySelector<HTMLElement>('.vtable__body')!;
}

async function press(body: HTMLElement, key: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  await act(async () => {
    body.dispatchEvent(event);
    // The virtualizer hears of the scroll through the scroll event, as in a browser.
    body.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 0));
  });
  return event;
}

/** Scrolls the body so that row `row` is first in view, as a wheel or the scrollbar would. */
async function scrollToRow(body: HTMLElement, row: number): Promise<void> {
  await act(async () => {
    body.scrollTop = row * ROW_HEIGHT;
    body.dispatchEvent(new Event('scroll'));
    await new Promise((r) => setTimeout(r, 0));
  });
}

/** The row index (0-based) of each drawn row element marked active. */
function activeRows(body: HTMLElement): number[] {
  return [...body.querySelectorAll('.vtable__row--active')].map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
}

/** The row index the body's aria-activedescendant names, through the element that has that id. */
function describedRow(body: HTMLElement): number | undefined {
  const id = body.getAttribute('aria-activedescendant');
  if (!id) return undefined;
  const row = document.getElementById(id);
  expect(row, `no element with the id ${id}`).not.toBeNull();
  expect(body.contains(row)).toBe(true);
  return Number(row!.getAttribute('aria-rowindex')) - 2;
}

describe('VirtualTable keyboard', () => {
  it('keeps the row links out of the Tab order: the body is the one stop', async () => {
    const body = await draw();
    const links = [...body.querySelectorAll('a')];
    expect(links.length).toBeGreaterThan(5);
    for (const a of links) expect(a.tabIndex).toBe(-1);
    expect(body.tabIndex).toBe(0);
    // The keys are described to assistive technology.
    expect(document.getElementById(body.getAttribute('aria-describedby')!)!.textContent).toMatch(/arrows move between rows.*Ctrl\+C copies the row/);
  });

  it('describes the keys in Swedish too', async () => {
    installI18n('sv');
    const body = await draw();
    expect(document.getElementById(body.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Upp- och nedpil flyttar mellan raderna.*Ctrl\+C kopierar raden/);
  });

  it('moves a cursor by row with the arrows, pages and ends, marked on the element showing that row', async () => {
    const body = await draw();
    expect(activeRows(body)).toEqual([]);
    expect(body.hasAttribute('aria-activedescendant')).toBe(false);
    // The first press activates the first row in view, the next ones move it.
    const first = await press(body, 'ArrowDown');
    expect(first.defaultPrevented).toBe(true);
    expect(activeRows(body)).toEqual([0]);
    await press(body, 'ArrowDown');
    await press(body, 'ArrowDown');
    expect(activeRows(body)).toEqual([2]);
    expect(describedRow(body)).toBe(2);
    await press(body, 'ArrowUp');
    expect(activeRows(body)).toEqual([1]);
    expect(describedRow(body)).toBe(1);
    // A page is the rows in view less one (10 - 1).
    await press(body, 'PageDown');
    expect(activeRows(body)).toEqual([10]);
    expect(body.scrollTop).toBe(11 * ROW_HEIGHT - 300);
    await press(body, 'PageUp');
    expect(activeRows(body)).toEqual([1]);
    await press(body, 'ArrowUp');
    await press(body, 'ArrowUp');
    expect(activeRows(body)).toEqual([0]);

    // End: the last row, scrolled into view at the bottom; the cursor's id follows the row, not the element.
    await press(body, 'End');
    expect(body.scrollTop).toBe(1000 * ROW_HEIGHT - 300);
    expect(activeRows(body)).toEqual([999]);
    expect(describedRow(body)).toBe(999);
    expect(body.querySelectorAll('[id]').length).toBe(1);
    await press(body, 'Home', { ctrlKey: true });
    expect(body.scrollTop).toBe(0);
    expect(activeRows(body)).toEqual([0]);
    expect(describedRow(body)).toBe(0);
  });

  it('keeps the cursor on its row while the reused row elements scroll past it', async () => {
    const body = await draw();
    await press(body, 'ArrowDown');
    await press(body, 'ArrowDown');
    const marked = body.querySelector('.vtable__row--active')!;
    // Scrolled away (a wheel, the scrollbar): the element that showed row 1 now shows another row, unmarked.
    await act(async () => {
      body.scrollTop = 500 * ROW_HEIGHT;
      body.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(activeRows(body)).toEqual([]);
    expect(marked.classList.contains('vtable__row--active')).toBe(false);
    expect(marked.hasAttribute('id')).toBe(false);
    expect(body.hasAttribute('aria-activedescendant')).toBe(false);
    // The next arrow moves on from row 1, back into view.
    await press(body, 'ArrowDown');
    expect(activeRows(body)).toEqual([2]);
    expect(body.scrollTop).toBe(2 * ROW_HEIGHT);
    expect(describedRow(body)).toBe(2);
  });

  it('starts from the first row in view, and a click puts the cursor on the clicked row', async () => {
    const body = await draw();
    await act(async () => {
      body.scrollTop = 40 * ROW_HEIGHT + 10;
      body.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 0));
    });
    await press(body, 'ArrowUp');
    expect(activeRows(body)).toEqual([41]);
    const row = [...body.querySelectorAll('[role="row"]')].find((r) => r.getAttribute('aria-rowindex') === String(45 + 2))!;
    await act(() => {
      (row.querySelector('[role="cell"]') as HTMLElement).click();
    });
    expect(activeRows(body)).toEqual([45]);
  });

  it('follows the active row’s in-view link on Enter, and nothing else', async () => {
    const body = await draw();
    // No active row: Enter does nothing.
    expect((await press(body, 'Enter')).defaultPrevented).toBe(false);
    expect(location.hash).toBe('');
    for (let i = 0; i < 4; i++) await press(body, 'ArrowDown');
    const enter = await press(body, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(location.hash).toBe('#/recipients/3');
    location.hash = '';
    // Row 7 has a `javascript:` target (shown as text, no link), row 8 none: Enter stays put.
    for (let i = 0; i < 4; i++) await press(body, 'ArrowDown');
    expect(activeRows(body)).toEqual([7]);
    await press(body, 'Enter');
    await press(body, 'ArrowDown');
    await press(body, 'Enter');
    expect(location.hash).toBe('');
  });

  it('moves the drawn rows in place on a scroll, without a render, the cursor’s id following its row', async () => {
    // A jump draws the rows in view at once and the rest two frames later (the next test): here each jump is taken
    // to rest, its two frames run by hand. happy-dom's own frames run on a timer that may or may not come before the
    // jump's `setTimeout`, which made this test fail now and then.
    const { frame, restore } = framesByHand();
    try {
      const body = await draw();
      const jump = async (row: number): Promise<void> => {
        await scrollToRow(body, row);
        await frame();
        await frame();
      };
      // In the middle, as many rows are drawn wherever the view is (the overscan on both sides).
      await jump(300);
      await press(body, 'ArrowDown'); // the first row in view becomes active
      const activeRow = activeRows(body)[0]!;
      expect(activeRow).toBeGreaterThanOrEqual(300);
      const before = [...body.querySelectorAll('.vtable__row')];
      let diffed = 0;
      const previous = options.diffed;
      options.diffed = (vnode: VNode) => {
        diffed++;
        previous?.(vnode);
      };
      try {
        await jump(500);
        const after = [...body.querySelectorAll('.vtable__row')];
        expect(after).toEqual(before);
        const shown = after.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
        expect(shown).toContain(500);
        expect(shown.every((row, k) => k === 0 || row === shown[k - 1]! + 1)).toBe(true);
        const first = after[shown.indexOf(500)]!;
        expect(cellText(first.querySelector('.vtable__cell')!)).toBe('n 500');
        expectLinesMatchRows(body);
        // The rows are in flow in one block placed where the first drawn row starts, striped by that row's parity.
        const block = body.querySelector<HTMLElement>('.vtable__rows')!;
        expect(block.style.transform).toBe(`translateY(${shown[0]! * ROW_HEIGHT}px)`);
        expect(block.classList.contains('vtable__rows--odd-first')).toBe(shown[0]! % 2 === 1);
        expect(after.every((r) => r.parentElement === block && (r as HTMLElement).style.transform === '')).toBe(true);
        await jump(501);
        const shown501 = after.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
        expect(shown501[0]).toBe(shown[0]! + 1);
        expect(block.style.transform).toBe(`translateY(${shown501[0]! * ROW_HEIGHT}px)`);
        expect(block.classList.contains('vtable__rows--odd-first')).toBe(shown501[0]! % 2 === 1);
        await jump(500);
        // The active row is out of view: no element has its id, and the body names no descendant.
        expect(activeRows(body)).toEqual([]);
        expect(body.hasAttribute('aria-activedescendant')).toBe(false);
        // And back: the element showing it has the id again.
        await jump(300);
        expect(activeRows(body)).toEqual([activeRow]);
        expect(describedRow(body)).toBe(activeRow);
        // At the end fewer rows are in view (no overscan after the last): the elements left over are hidden.
        await jump(995);
        const shownAtEnd = [...body.querySelectorAll('.vtable__row:not([hidden])')].map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
        expect(shownAtEnd.at(-1)).toBe(999);
        expect(body.querySelectorAll('.vtable__row[hidden]').length).toBe(before.length - shownAtEnd.length);
        expect(body.querySelectorAll('.vtable__row[hidden]').length).toBeGreaterThan(0);
        await jump(300);
        expect(body.querySelectorAll('.vtable__row[hidden]')).toHaveLength(0);
        expect(describedRow(body)).toBe(activeRow);
        expect(diffed).toBe(0);
      } finally {
        options.diffed = previous;
      }
      // A render after the moves (the cursor moved by a key) starts from what the moves left on screen.
      await jump(600);
      await press(body, 'ArrowDown');
      expect(activeRows(body)).toEqual([activeRow + 1]);
      expect(describedRow(body)).toBe(activeRow + 1);
    } finally {
      restore();
    }
  });

  it('on a fast scroll draws the rows in view at once, and the rows around them once the scroll has rested two frames', async () => {
    const { frames, frame, restore } = framesByHand();
    try {
      const body = await draw();
      const scroll = (row: number): Promise<void> => scrollToRow(body, row);
      const visible = (): number[] => [...body.querySelectorAll('.vtable__row:not([hidden])')].map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
      const block = (): HTMLElement => body.querySelector<HTMLElement>('.vtable__rows')!;
      const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);
      // In the middle: the 10 rows in view and 4 on each side are drawn.
      await scroll(300);
      await frame();
      await frame();
      expect(visible()).toEqual(range(296, 313));
      const drawn = body.querySelectorAll('.vtable__row').length;
      // A jump: none of the rows in view was drawn. Only those are drawn, in order; the block starts at the first.
      await scroll(501);
      expect(visible()).toEqual(range(501, 510));
      expect(body.querySelectorAll('.vtable__row')).toHaveLength(drawn);
      expect(block().style.transform).toBe(`translateY(${501 * ROW_HEIGHT}px)`);
      expect(block().classList.contains('vtable__rows--odd-first')).toBe(true);
      expect(cellText(block().querySelector('.vtable__row:not([hidden]) .vtable__cell')!)).toBe('n 501');
      // The lines show the rows drawn, the hidden row elements' rows not.
      expectLinesMatchRows(body);
      expect(drawnLines(body)[0]![0]).toBe('n 501');
      // Still scrolling fast (a page: one row of those in view was drawn): the rows around wait again.
      await frame();
      await scroll(510);
      expect(visible()).toEqual(range(510, 519));
      await frame();
      expect(visible()).toEqual(range(510, 519));
      // At rest for two frames: the rows around are drawn, the block moved to the first of them.
      await frame();
      expect(visible()).toEqual(range(506, 523));
      expect(block().style.transform).toBe(`translateY(${506 * ROW_HEIGHT}px)`);
      expect(block().classList.contains('vtable__rows--odd-first')).toBe(false);
      expect(frames).toHaveLength(0);
      // A slow scroll (most rows in view were drawn) draws the rows around at once.
      await scroll(513);
      expect(visible()).toEqual(range(509, 526));
      // A jump, then a slow scroll before the frames: the slow scroll draws everything, the jump's wait ends unused.
      await scroll(800);
      expect(visible()).toEqual(range(800, 809));
      await scroll(802);
      expect(visible()).toEqual(range(798, 815));
      await frame();
      await frame();
      expect(visible()).toEqual(range(798, 815));
    } finally {
      restore();
    }
  });

  it('stripes the odd rows wherever the drawn rows start, the hidden row elements before them counted', async () => {
    const { frame, restore } = framesByHand();
    try {
      const body = await draw();
      const block = body.querySelector<HTMLElement>('.vtable__rows')!;
      // The style sheet stripes every other row element: the even places (0, 2, …) with the block's class, else the
      // odd ones (virtual-table.css). Each drawn row: [its row, whether it is striped].
      const stripes = (): [number, boolean][] => {
        const odd = block.classList.contains('vtable__rows--odd-first');
        // (The block's last child is the columns' lines, after the rows: not a row.)
        return [...block.querySelectorAll(':scope > .vtable__row')].flatMap((r, place) =>
          (r as HTMLElement).hidden ? [] : [[Number(r.getAttribute('aria-rowindex')) - 2, odd ? place % 2 === 0 : place % 2 === 1] as [number, boolean]],
        );
      };
      const oddRowsStriped = (): void => {
        const drawn = stripes();
        expect(drawn.length).toBeGreaterThan(5);
        expect(drawn.filter(([row, striped]) => striped !== (row % 2 === 1))).toEqual([]);
      };
      for (const row of [300, 301, 501, 3, 800, 2, 0, 999]) {
        // A jump: the rows around the view wait, hidden; row 3 leaves three of them before the first drawn.
        await scrollToRow(body, row);
        oddRowsStriped();
        // At rest: every row element drawn.
        await frame();
        await frame();
        oddRowsStriped();
      }
      await scrollToRow(body, 800);
      await scrollToRow(body, 3);
      expect([...block.querySelectorAll(':scope > .vtable__row')].findIndex((r) => !(r as HTMLElement).hidden)).toBe(3);
    } finally {
      restore();
    }
  });

  it('titles the cell under the pointer and the active row’s cells only, each following its row on a scroll', async () => {
    const body = await draw(1000, (row, key) => `${key} of row ${row}`);
    const titles = (): string[] => [...body.querySelectorAll('[role="cell"][title]')].map((c) => c.getAttribute('title')!);
    const cell = (row: number, col: number): Element => {
      const el = [...body.querySelectorAll('.vtable__row')].find((r) => r.getAttribute('aria-rowindex') === String(row + 2));
      return el!.querySelectorAll('[role="cell"]')[col]!;
    };
    const hover = (el: Element): Promise<void> => act(() => void el.dispatchEvent(new Event('pointerover', { bubbles: true })));
    await scrollToRow(body, 300);
    expect(titles()).toEqual([]);
    // The pointer over a cell, then over another (over the link in it: the event comes from inside the cell).
    await hover(cell(302, 1));
    expect(titles()).toEqual(['who of row 302']);
    await hover(cell(303, 1).querySelector('a')!);
    expect(titles()).toEqual(['who of row 303']);
    // A scroll by a row (the wheel under a still pointer): the cell under it shows the next row, and its title.
    const under = cell(303, 1);
    await scrollToRow(body, 301);
    expect(cellText(under)).toBe('who 304');
    expect(titles()).toEqual(['who of row 304']);
    // Out of the table: no title left.
    await act(() => void body.dispatchEvent(new Event('pointerleave')));
    expect(titles()).toEqual([]);
    // The active row's cells are titled (their descriptions, for assistive technology), and move with the cursor.
    await press(body, 'ArrowDown');
    expect(titles()).toEqual(['n of row 301', 'who of row 301']);
    await press(body, 'ArrowDown');
    expect(titles()).toEqual(['n of row 302', 'who of row 302']);
    await hover(cell(305, 0));
    expect(titles()).toEqual(['n of row 302', 'who of row 302', 'n of row 305']);
  });

  it('copies the active row, tab-separated, when nothing is selected; a selection copies as usual', async () => {
    const body = await draw();
    const copy = async (): Promise<{ event: Event; data: Map<string, string> }> => {
      const data = new Map<string, string>();
      const event = new Event('copy', { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'clipboardData', { value: { setData: (type: string, v: string) => data.set(type, v) } });
      await act(() => void body.dispatchEvent(event));
      return { event, data };
    };
    // No active row yet: the browser's own copy.
    expect((await copy()).event.defaultPrevented).toBe(false);
    for (let i = 0; i < 3; i++) await press(body, 'ArrowDown');
    const { event, data } = await copy();
    expect(event.defaultPrevented).toBe(true);
    expect(data.get('text/plain')).toBe('n 2\twho 2');
    // Text selected somewhere: that is what is copied.
    const p = document.createElement('p');
    p.textContent = 'chosen';
    document.body.append(p);
    document.getSelection()!.selectAllChildren(p);
    expect((await copy()).event.defaultPrevented).toBe(false);
    document.getSelection()!.removeAllRanges();
    p.remove();
  });

  it('keeps a source’s line breaks from splitting its row in the drawn lines; the cell’s name keeps the text', async () => {
    await act(() => {
      render(
        <VirtualTable
          label="Logs"
          columns={COLUMNS}
          count={50}
          text={(row, key) => (key === 'n' ? `line\nbreak\r\n${row}\u2028x\u0085y` : `who\t${row}`)}
          href={HREF}
        />,
        root,
      );
    });
    const lines = drawnLines(root);
    const rows = root.querySelectorAll('.vtable__body .vtable__row:not([hidden])');
    expect(lines[0]).toHaveLength(rows.length);
    expect(lines[0]![0]).toBe('line break  0 x y');
    expect(lines[1]![0]).toBe('who 0');
    expect(rows[0]!.querySelector('[role="cell"]')!.getAttribute('aria-label')).toBe('line\nbreak\r\n0\u2028x\u0085y');
    expectLinesMatchRows(root);
  });

  it('forgets a cursor beyond the rows left after a narrower filter', async () => {
    let body = await draw();
    await press(body, 'End');
    expect(activeRows(body)).toEqual([999]);
    body = await draw(50);
    expect(activeRows(body)).toEqual([]);
    expect(body.hasAttribute('aria-activedescendant')).toBe(false);
    await press(body, 'ArrowDown');
    expect(activeRows(body)).toHaveLength(1);
  });
});
