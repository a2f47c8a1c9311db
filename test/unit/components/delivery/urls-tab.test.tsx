// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UrlsView } from '../../../../entrypoints/options/routes/delivery/urls';
import { emptyColumns, type EventColumns } from '../../../../lib/db/events';
import type { UrlRow } from '../../../../lib/db/schema';
import { parseUrlsQuery } from '../../../../lib/urls/params';
import { addEvent, newAggregate, toRow } from '../../../../lib/workflow/aggregate';
import { installFakeCanvas } from '../../helpers/fake-canvas';
import { installI18n } from '../../helpers/fake-i18n';

// happy-dom has no canvas: uPlot draws into a fake 2D context that keeps the text it writes (the chart's ticks and
// axis titles) for the tests to read.
const canvas = installFakeCanvas(() => 8);
const canvasText = (): string[] => canvas.drawn.map((d) => d.text);

let root: HTMLElement;
beforeEach(() => {
  installI18n('en');
  canvas.clear();
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

function show(params: Record<string, string>, setParams = vi.fn(), { events = EV, timeZone = 'UTC', now }: { events?: EventColumns; timeZone?: string; now?: number } = {}) {
  act(() => {
    render(
      <UrlsView
        urls={URLS}
        agg={agg()}
        events={events}
        eventsError={false}
        sentAt={SENT}
        firstEvent={s0 + 60}
        timeZone={timeZone}
        now={now}
        query={parseUrlsQuery(params)}
        setParams={setParams}
      />,
      root,
    );
  });
  return setParams;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
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

  it('names a chosen row’s line as the display mode names the row: its category, its URL', () => {
    show({ by: 'category', sel: '10' });
    // The legend after its time entry.
    const legend = () => Array.from(root.querySelectorAll('.clicks-chart .u-legend .u-label')).map((l) => l.textContent).slice(1);
    // Row 10 is the "product" category; its first link is labelled "Shop now".
    expect(legend()).toEqual(['All links', 'product']);
    expect(root.querySelector('input[type="checkbox"][aria-label="Show “product” on the chart"]')).not.toBeNull();
    show({ by: 'category', sel: '11' });
    expect(legend()).toEqual(['All links', 'No category']);
    show({ by: 'url', sel: '10' });
    expect(legend()).toEqual(['All links', 'https://shop.example/a']);
  });

  it('draws its axis and legend in Swedish, in the chosen zone, with no English left', async () => {
    installI18n('sv');
    show({ sel: '10' }, vi.fn(), { timeZone: 'Europe/Stockholm' });
    await until(() => canvasText().length > 0);
    const drawn = canvasText().join(' | ');
    // The clicks fall 08:54–16:53 UTC, 10:54–18:53 in Stockholm (summer time): hourly ticks in 24-hour time.
    expect(drawn).toMatch(/\b1[0-8]:00\b/);
    expect(drawn).toContain('9 okt.');
    expect(drawn).toContain('Tid (Europe/Stockholm)');
    expect(drawn).toContain('Klick');
    const legend = root.querySelector('.clicks-chart .u-legend')!.textContent!;
    expect(legend).toContain('Alla länkar');
    expect(legend).toMatch(/5 totalt/);
    expect(root.querySelector('.clicks-chart figcaption')?.textContent).toBe('Klick per timme');
    const everything = `${drawn} | ${root.querySelector('.urls-section')!.textContent}`;
    expect(everything).not.toMatch(/\b(am|pm|AM|PM|Time|All links|in total)\b/);
    expect(everything).not.toMatch(/\d+\/\d+\/\d+/);
  });

  it('counts per calendar day of the zone over a longer span, with dates and no times of day on the axis', async () => {
    installI18n('en');
    // Clicks at 23:30 UTC on four evenings: in Stockholm they fall after midnight, on the next day.
    const late = events([0, 1, 2, 3, 4].map((d): [number, number, number, number] => [d * 86400 + 14 * 3600 + 3000, 1, 10, 1]));
    show({}, vi.fn(), { events: late, timeZone: 'Europe/Stockholm' });
    await until(() => canvasText().length > 0);
    expect(root.querySelector('.clicks-chart figcaption')?.textContent).toBe('Clicks per day');
    const ticks = canvasText().filter((s) => /\d/.test(s));
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.every((s) => /^Oct \d+$/.test(s) || /^\d+$/.test(s.replace(/,/g, '')))).toBe(true);
    const details = root.querySelector('.clicks-chart details') as HTMLDetailsElement;
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    const days = [...root.querySelectorAll('.clicks-chart .time-chart__data tbody th')].map((th) => th.textContent);
    expect(days).toEqual(['Oct 10, 2025', 'Oct 11, 2025', 'Oct 12, 2025', 'Oct 13, 2025', 'Oct 14, 2025']);
  });

  it('marks the hour still under way and a bucket cut by the time window', async () => {
    // The last click falls at 16:53 UTC; a minute later its hour is still under way.
    show({}, vi.fn(), { now: SENT + 8 * 3600 * 1000 + 60_000 });
    expect(root.querySelector('.clicks-chart .time-chart__note')?.textContent).toContain('the last hour is not over yet');
    // The first 6 hours end at 14:53 UTC, inside the 14:00 hour of the last click there.
    const inWindow = events([[60, 1, 10, 1], [6 * 3600 - 60, 2, 10, 1]]);
    show({ window: '6h' }, vi.fn(), { events: inWindow });
    expect(root.querySelector('.clicks-chart .time-chart__note')?.textContent).toContain('the time window ends during the last hour');
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

  it('gives two clicks in the same second as under a second apart (times are whole seconds), not as 0 ms', () => {
    show({}, vi.fn(), { events: events([[60, 1, 10, 1], [60, 1, 12, 1], [61, 1, 10, 1]]) });
    const gaps = Array.from(root.querySelectorAll('ol.streams > li .stream__gap'), (g) => g.textContent);
    expect(gaps).toHaveLength(2);
    expect(gaps[0]).toMatch(/< 1 sec/);
    expect(gaps[0]).not.toMatch(/ms/);
    expect(gaps[1]).toMatch(/→ 1 sec →/);
  });
});
