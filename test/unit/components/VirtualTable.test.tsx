// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { VirtualTable, type VirtualColumn } from '../../../components/VirtualTable';
import { LogsFilters } from '../../../components/LogsFilters';
import { Timeline } from '../../../entrypoints/options/routes/recipients';
import { parseLogsQuery } from '../../../lib/logs/table';
import type { RouteParams } from '../../../lib/routes';
import { installI18n } from '../helpers/fake-i18n';
import { cellText, drawnLines, expectLinesMatchRows, framesByHand, rowText } from '../helpers/vtable';

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

const HOSTILE = '<img src=x onerror="window.__xss=1">';

describe('VirtualTable', () => {
  it('draws only a window of a million rows, says the real size, and shows hostile text as text', async () => {
    // happy-dom does no layout: give the scrolling body the size a browser would (600 px = 20 rows).
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
    const cells: number[] = [];
    await act(() => {
      render(
        <VirtualTable
          label="Logs"
          columns={[
            { key: 'n', label: 'Number', width: '1fr', sortable: true },
            { key: 'ua', label: 'Agent', width: '2fr' },
          ]}
          count={1_000_000}
          text={(row, key) => {
            cells.push(row);
            return key === 'n' ? String(row) : HOSTILE;
          }}
          sort={{ key: 'n', dir: 'asc' }}
          onSort={() => undefined}
        />,
        root,
      );
    });
    const table = root.querySelector('[role="table"]')!;
    expect(table.getAttribute('aria-rowcount')).toBe('1000001');
    const rows = root.querySelectorAll('.vtable__body [role="row"]');
    // 20 rows in view plus the overscan, never the million.
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.length).toBeLessThan(40);
    expect(Math.max(...cells)).toBeLessThan(40);
    expect(root.querySelector('.vtable__body img')).toBeNull();
    // As text: the cells' names, and the lines drawn on the canvas.
    expect(cellText(rows[0]!.children[1]!)).toBe(HOSTILE);
    expect(drawnLines(root)[1]).toContain(HOSTILE);
    expect(root.querySelector('[role="columnheader"][aria-sort="ascending"]')!.textContent).toContain('Number');
    expect(root.querySelector('.vtable__body')!.getAttribute('tabindex')).toBe('0');
  });
});

describe('VirtualTable scrolling', () => {
  it('rewrites the drawn row elements in place on a jump, in visual order, and skips rows that did not change', async () => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
    let calls = 0;
    const text = (row: number): string => {
      calls++;
      return `row ${row}`;
    };
    const columns = [{ key: 'n', label: 'Number', width: '1fr' }] as const;
    const draw = (label: string) =>
      act(() => {
        render(<VirtualTable label={label} columns={columns} count={1_000_000} text={text} />, root);
      });
    // The frames by hand: a jump's fill comes two frames later (framesByHand).
    const { frame, restore } = framesByHand();
    try {
      await draw('Logs');
      const body = root.querySelector<HTMLElement>('.vtable__body')!;
      const before = [...body.querySelectorAll('[role="row"]')];
      expect(rowText(before[0]!)).toBe('row 0');
      expectLinesMatchRows(root);
      // The table's label changes, the rows in view do not: no cell is formatted again.
      calls = 0;
      await draw('Logs again');
      expect(calls).toBe(0);
      // A jump far down: the same row elements now show the rows there, in order.
      await act(async () => {
        body.scrollTop = 500_000 * 30;
        body.dispatchEvent(new Event('scroll'));
        await new Promise((r) => setTimeout(r, 0));
      });
      // A jump draws the rows in view at once and those around them two frames later: at rest, all are drawn.
      await frame();
      await frame();
      const after = [...body.querySelectorAll('[role="row"]')];
      const shown = after.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
      expect(shown[0]).toBeGreaterThan(499_000);
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
      expect(after.map(rowText)).toEqual(shown.map((i) => `row ${i}`));
      expectLinesMatchRows(root);
      // Every element of the jump's rows is one that was there before (no row rebuilt).
      for (const row of after.slice(0, Math.min(after.length, before.length))) expect(before).toContain(row);
    } finally {
      restore();
    }
  });
});

describe('VirtualTable cells', () => {
  it('draws tags and in-view links, never a link elsewhere, and follows new content, titles and columns', async () => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
    type K = 'kind' | 'who' | 'ip';
    const base: VirtualColumn<K>[] = [
      { key: 'kind', label: 'Type', width: '1fr', kind: 'tag' },
      { key: 'who', label: 'Recipient', width: '1fr', kind: 'link' },
    ];
    const withIp: VirtualColumn<K>[] = [...base, { key: 'ip', label: 'IP', width: '1fr' }];
    // Row 1's target is hostile: it must stay text. Row 2 has no target.
    const href = (row: number): string | undefined => (row === 1 ? 'javascript:alert(1)' : row === 2 ? undefined : `#/recipients/${row}`);
    const draw = (columns: VirtualColumn<K>[], prefix: string, title?: (row: number, key: K) => string | undefined) =>
      act(() => {
        render(
          <VirtualTable label="T" columns={columns} count={100} text={(row, key) => `${prefix}${key} ${row}`} href={href} title={title} />,
          root,
        );
      });
    await draw(base, '');
    const rows = () => [...root.querySelectorAll('.vtable__body [role="row"]')];
    const first = rows()[0]!;
    expect(first.querySelector('.type-tag')!.textContent).toBe('kind 0');
    expect(first.querySelector('a')!.getAttribute('href')).toBe('#/recipients/0');
    expect(cellText(first.querySelectorAll('[role="cell"]')[1]!)).toBe('who 0');
    // The link is over its cell, named by the text, which its column's lines show.
    expect(first.querySelector('a')!.getAttribute('aria-label')).toBe('who 0');
    expectLinesMatchRows(root);
    expect(rows()[1]!.querySelector('a')).toBeNull();
    expect(rowText(rows()[1]!)).toContain('who 1');
    expect(rows()[2]!.querySelector('a')).toBeNull();
    expect(root.querySelector('a[href^="javascript:"]')).toBeNull();
    // Striped by the rows' block, by the first row's parity (row 0: even).
    expect(root.querySelector('.vtable__rows')!.classList.contains('vtable__rows--odd-first')).toBe(false);

    // New content functions (a new sort or filter): the same elements show the new text, with titles (where the
    // pointer is: VirtualTable-keyboard.test.tsx has the rest).
    await draw(base, 'new ', (row, key) => (key === 'who' ? `full ${row}` : undefined));
    expect(rows()[0]).toBe(first);
    expect(first.querySelector('.type-tag')!.textContent).toBe('new kind 0');
    const hover = (i: number) => act(() => void first.querySelectorAll('[role="cell"]')[i]!.dispatchEvent(new Event('pointerover', { bubbles: true })));
    await hover(0);
    expect(root.querySelectorAll('[title]')).toHaveLength(0);
    await hover(1);
    expect(first.querySelectorAll('[role="cell"]')[1]!.getAttribute('title')).toBe('full 0');
    expect(first.querySelectorAll('[role="cell"]')[0]!.hasAttribute('title')).toBe(false);

    // A column more: every drawn row gets the cell, filled.
    await draw(withIp, '');
    for (const [i, row] of rows().entries()) {
      const cells = row.querySelectorAll('[role="cell"]');
      expect(cells.length).toBe(3);
      expect(cellText(cells[2]!)).toBe(`ip ${i}`);
      expect(cells[0]!.querySelectorAll('.type-tag').length).toBe(1);
      expect(cells[1]!.hasAttribute('title')).toBe(false);
    }
  });
});

describe('LogsFilters', () => {
  it('writes type, range and text filters to the hash params', async () => {
    const calls: [RouteParams, boolean | undefined][] = [];
    const q = parseLogsQuery({}, 'UTC');
    await act(() => {
      render(<LogsFilters q={q} setParams={(p, r) => calls.push([p, r])} />, root);
    });
    const open = [...root.querySelectorAll('label')].find((l) => l.textContent === 'Open')!.querySelector('input')!;
    expect(open.checked).toBe(true);
    await act(() => open.click());
    expect(calls.at(-1)![0]).toEqual({ type: 'click,opt-out,web,transaction,mirror' });
    const rcp = root.querySelector<HTMLInputElement>('input[type="search"]')!;
    rcp.value = 'anna';
    await act(() => {
      rcp.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(calls.at(-1)).toEqual([{ rcp: 'anna' }, true]);
  });

  it('shows a typed filter from the hash as checked boxes', async () => {
    const q = parseLogsQuery({ type: 'click' }, 'UTC');
    await act(() => {
      render(<LogsFilters q={q} setParams={() => undefined} />, root);
    });
    const checked = [...root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].filter((i) => i.checked);
    expect(checked.map((i) => i.parentElement!.textContent)).toEqual(['Email click']);
  });
});

describe('Timeline', () => {
  it('draws bars for the shown events and names the range', async () => {
    const t = Uint32Array.from([1_790_000_000, 1_790_000_100, 1_790_090_000]);
    await act(() => {
      render(<Timeline t={t} index={Uint32Array.from([0, 1, 2])} timeZone="UTC" />, root);
    });
    const svg = root.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toMatch(/^Timeline: 3 events from/);
    expect(root.querySelectorAll('rect').length).toBe(2);
    // The caption says what a bar is and how tall the tallest is (two events in the first hour).
    expect(root.querySelector('figcaption')!.textContent).toContain('Events per hour (tallest bar: 2)');
  });
});
