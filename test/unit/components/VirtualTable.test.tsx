// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { VirtualTable } from '../../../components/VirtualTable';
import { LogsFilters } from '../../../components/LogsFilters';
import { Timeline } from '../../../entrypoints/options/routes/recipients';
import { parseLogsQuery } from '../../../lib/logs/table';
import type { RouteParams } from '../../../lib/routes';
import { installI18n } from '../helpers/fake-i18n';

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
          cell={(row, key) => {
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
    expect(root.querySelector('.vtable__body')!.textContent).toContain(HOSTILE);
    expect(root.querySelector('[role="columnheader"][aria-sort="ascending"]')!.textContent).toContain('Number');
    expect(root.querySelector('.vtable__body')!.getAttribute('tabindex')).toBe('0');
  });
});

describe('VirtualTable scrolling', () => {
  it('rewrites the drawn row elements in place on a jump, in visual order, and skips rows that did not change', async () => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
    let calls = 0;
    const cell = (row: number): string => {
      calls++;
      return `row ${row}`;
    };
    const columns = [{ key: 'n', label: 'Number', width: '1fr' }] as const;
    const draw = (label: string) =>
      act(() => {
        render(<VirtualTable label={label} columns={columns} count={1_000_000} cell={cell} />, root);
      });
    await draw('Logs');
    const body = root.querySelector<HTMLElement>('.vtable__body')!;
    const before = [...body.querySelectorAll('[role="row"]')];
    expect(before[0]!.textContent).toBe('row 0');
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
    const after = [...body.querySelectorAll('[role="row"]')];
    const shown = after.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
    expect(shown[0]).toBeGreaterThan(499_000);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
    expect(after.map((r) => r.textContent)).toEqual(shown.map((i) => `row ${i}`));
    // Every element of the jump's rows is one that was there before (no row rebuilt).
    for (const row of after.slice(0, Math.min(after.length, before.length))) expect(before).toContain(row);
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
  });
});
