// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UrlsView } from '../../../../entrypoints/options/routes/delivery/urls';
import { emptyColumns, type EventColumns } from '../../../../lib/db/events';
import type { UrlRow } from '../../../../lib/db/schema';
import { parseUrlsQuery } from '../../../../lib/urls/params';
import { addEvent, newAggregate, toRow } from '../../../../lib/workflow/aggregate';
import { installI18n } from '../../helpers/fake-i18n';

// happy-dom has no canvas: uPlot draws into a 2D context that accepts everything and draws nothing.
const fake2d = new Proxy(
  {},
  {
    get: (_t, prop) => (prop === 'measureText' ? () => ({ width: 8 }) : () => undefined),
    set: () => true,
  },
);
HTMLCanvasElement.prototype.getContext = (() => fake2d) as unknown as HTMLCanvasElement['getContext'];
class FakePath2D {
  moveTo(): void {}
  lineTo(): void {}
  rect(): void {}
  arc(): void {}
  closePath(): void {}
  bezierCurveTo(): void {}
  addPath(): void {}
}
(globalThis as unknown as { Path2D: unknown }).Path2D ??= FakePath2D;

let root: HTMLElement;
beforeEach(() => {
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const HOSTILE_LABEL = '<b onmouseover="window.__pwned=1">Bold</b>';
const URLS: (UrlRow & { id: number })[] = [
  { id: 10, deliveryId: 1, extId: 'a', type: 1, url: 'https://shop.example/a', label: 'Shop now', category: 'product', occurrence: 0 },
  { id: 11, deliveryId: 1, extId: 'b', type: 1, url: 'javascript:window.__pwned=2', label: HOSTILE_LABEL, occurrence: 1 },
  { id: 12, deliveryId: 1, extId: 'c', type: 1, url: 'https://shop.example/b', label: 'Shop now', category: 'product', occurrence: 2 },
  { id: 13, deliveryId: 1, extId: 'd', type: 3, url: 'https://shop.example/unsub', label: 'Unsubscribe', occurrence: 3 },
];
const SENT = 1_760_000_000_000;
const s0 = SENT / 1000;

function events(rows: [number, number, number, number][]): EventColumns {
  const c = emptyColumns(rows.length);
  rows.forEach(([t, rcp, url, type], i) => {
    c.t[i] = s0 + t;
    c.rcp[i] = rcp;
    c.url[i] = url;
    c.type[i] = type;
  });
  return c;
}
const EV = events([
  [60, 1, 10, 1],
  [120, 1, 12, 1],
  [180, 2, 10, 1],
  [3600 * 7, 3, 11, 1],
  [3600 * 8, 3, 13, 3],
]);
function agg() {
  const a = newAggregate(1);
  for (let i = 0; i < EV.n; i++) addEvent(a, EV.t[i]!, EV.rcp[i]!, EV.url[i]!, EV.type[i]!, 0, 0, 0);
  return toRow(a);
}

function show(params: Record<string, string>, setParams = vi.fn()) {
  act(() => {
    render(
      <UrlsView
        urls={URLS}
        agg={agg()}
        events={EV}
        eventsError={false}
        sentAt={SENT}
        firstEvent={s0 + 60}
        timeZone="UTC"
        query={parseUrlsQuery(params)}
        setParams={setParams}
      />,
      root,
    );
  });
  return setParams;
}

const clicksCells = () => Array.from(root.querySelectorAll('table.urls-table tbody [data-col="clicks"]')).map((c) => c.textContent);

describe('URLs and click streams tab', () => {
  it('lists each link with clicks, share and clickers from the aggregate, hostile text as text', () => {
    show({});
    expect(clicksCells()).toEqual(['2', '1', '1', '1']);
    expect(root.querySelector('[data-col="total-clicks"]')!.textContent).toBe('5');
    expect(root.querySelector('tbody [data-col="share"]')!.textContent).toMatch(/40\.0\s?%/);
    expect(root.textContent).toContain(HOSTILE_LABEL);
    expect(root.querySelector('b')).toBeNull();
    // javascript: URLs are never links; http(s) destinations open in a new tab without referrer.
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.every((a) => /^https:/.test(a.getAttribute('href') ?? ''))).toBe(true);
    expect(links.every((a) => a.getAttribute('rel') === 'noopener noreferrer' && a.getAttribute('target') === '_blank')).toBe(true);
    // Two https email-click links; the opt-out link is never offered to open (it could unsubscribe someone).
    expect(links).toHaveLength(2);
  });

  it('groups by label and counts only the first 6 hours when asked', () => {
    show({ by: 'label' });
    expect(clicksCells()).toEqual(['3', '1', '1']);
    show({ by: 'label', window: '6h' });
    expect(clicksCells()).toEqual(['3', '0', '0']);
    expect(root.querySelector('[data-col="total-clicks"]')!.textContent).toBe('3');
  });

  it('sorts through the hash and changes the grouping there', () => {
    const setParams = show({});
    const header = Array.from(root.querySelectorAll('th button')).find((b) => b.textContent?.startsWith('Clicks'))!;
    act(() => (header as HTMLButtonElement).click());
    expect(setParams).toHaveBeenCalledWith({ sort: 'clicks', dir: 'desc' });
    const byUrl = root.querySelector('input[name="urls-by"][value="url"]') as HTMLInputElement;
    act(() => byUrl.click());
    expect(setParams).toHaveBeenCalledWith({ by: 'url', sel: '' });
  });

  it('draws clicks over time for the chosen links with uPlot', () => {
    show({ sel: '10' });
    expect(root.querySelector('.clicks-chart .uplot')).not.toBeNull();
    const legend = Array.from(root.querySelectorAll('.clicks-chart .u-legend .u-label')).map((l) => l.textContent);
    expect(legend).toEqual(expect.arrayContaining(['Shop now', 'All links']));
    const box = root.querySelector('input[type="checkbox"][aria-label*="Shop now"]') as HTMLInputElement;
    expect(box.checked).toBe(true);
  });

  it('shows the click streams with gaps and the most frequent path', () => {
    show({});
    const streams = Array.from(root.querySelectorAll('ol.streams > li'));
    expect(streams).toHaveLength(3);
    expect(streams[0]!.querySelectorAll('.stream__click')).toHaveLength(2);
    expect(streams[0]!.querySelector('.stream__gap')!.textContent).toMatch(/1 min/);
    const path = root.querySelector('table.urls-paths tbody tr')!;
    expect(path.textContent).toContain('Shop now');
    expect(path.querySelector('.num')!.textContent).toBe('1');
  });
});
