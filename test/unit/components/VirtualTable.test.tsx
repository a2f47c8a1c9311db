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
