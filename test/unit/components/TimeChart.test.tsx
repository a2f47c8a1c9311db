// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axisTitle, bucketLabel, timeIncrs, timeTickLabels, type ChartAxis } from '../../../components/chart-time';
import { TimeChart, type ChartSeries } from '../../../components/TimeChart';
import type { IncompleteBucket } from '../../../lib/indicators/series';
import { installFakeCanvas, type DrawnText, type FakeCanvas } from '../helpers/fake-canvas';
import { installI18n } from '../helpers/fake-i18n';

/**
 * The time charts as a user reads them: what uPlot writes on the canvas (recorded from a fake 2D context, which
 * measures a character as 7 px), the legend and the note under the chart.
 */

let canvas: FakeCanvas;
let drawn: DrawnText[] = [];
let width = 640;
beforeAll(() => {
  canvas = installFakeCanvas();
  drawn = canvas.drawn;
  // happy-dom lays nothing out: the chart's container is as wide as a test says.
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
});
afterAll(() => {
  canvas.restore();
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

let root: HTMLElement;
beforeEach(() => {
  canvas.clear();
  width = 640;
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const H = (iso: string): number => Date.parse(iso) / 1000;
/** A delivery sent at 15:07 in Stockholm (14:07 UTC): two full hours and the one under way. */
const FLASH = [H('2026-11-27T14:00Z'), H('2026-11-27T15:00Z'), H('2026-11-27T16:00Z')];
const TZ = 'Europe/Stockholm';

async function draw(
  x: readonly number[],
  series: ChartSeries[],
  axis: ChartAxis,
  opts: { incomplete?: IncompleteBucket; cumulative?: boolean } = {},
): Promise<void> {
  act(() => {
    render(
      <TimeChart
        title="chart"
        x={x}
        series={series}
        time={axis.time}
        unit={axis.unit}
        timeZone={axis.timeZone}
        cumulative={opts.cumulative}
        incomplete={opts.incomplete}
        xLabel={axisTitle(axis)}
        yLabel={series[0]!.label}
        formatX={(v) => bucketLabel(v, axis)}
        summary="summary"
      />,
      root,
    );
  });
  // uPlot draws in a microtask after it is built.
  for (let i = 0; i < 50 && !drawn.some((d) => d.align === 'center'); i++) await new Promise((r) => setTimeout(r, 5));
}

/** The x axis's tick labels, line by line: centred text, not the axis titles. */
function xTicks(title: string): DrawnText[] {
  return drawn.filter((d) => d.align === 'center' && d.text !== title && d.text !== 'Opens');
}

/** Whether two tick labels on one line overlap (centred; 7 px a character). */
function overlapping(ticks: DrawnText[]): string[] {
  const out: string[] = [];
  const rows = new Map<number, DrawnText[]>();
  for (const d of ticks) rows.set(Math.round(d.y), [...(rows.get(Math.round(d.y)) ?? []), d]);
  for (const row of rows.values()) {
    row.sort((a, b) => a.x - b.x);
    for (let i = 1; i < row.length; i++) {
      const a = row[i - 1]!;
      const b = row[i]!;
      if (a.x + (a.text.length * 7) / 2 > b.x - (b.text.length * 7) / 2) out.push(`${a.text} | ${b.text}`);
    }
  }
  return out;
}

const legend = (): string => root.querySelector('.u-legend')?.textContent ?? '';

describe('chart tick labels', () => {
  it('names hours in the UI language and the zone: 24-hour Swedish, 12-hour English, the date under a new day', () => {
    installI18n('sv');
    expect(timeTickLabels(FLASH, 3600, 'hour', TZ)).toEqual(['15:00\n27 nov.', '16:00', '17:00']);
    installI18n('en');
    const en = timeTickLabels(FLASH, 3600, 'hour', TZ);
    expect(en[0]).toMatch(/^3:00\sPM\nNov 27$/);
    expect(en.slice(1).map((s) => s.replace(/\s/g, ' '))).toEqual(['4:00 PM', '5:00 PM']);
  });

  it('names days as dates, never as times or M/D/YY', () => {
    const days = [H('2026-10-21T22:00Z'), H('2026-10-22T22:00Z')]; // midnights in Stockholm (summer time)
    installI18n('en');
    expect(timeTickLabels(days, 86400, 'day', TZ)).toEqual(['Oct 22', 'Oct 23']);
    expect(bucketLabel(days[0]!, { time: true, unit: 'day', timeZone: TZ })).toBe('Oct 22, 2026');
    installI18n('sv');
    expect(timeTickLabels(days, 86400, 'day', TZ)).toEqual(['22 okt.', '23 okt.']);
    // An hourly chart with ticks a day apart: dates too.
    expect(timeTickLabels(days, 86400, 'hour', TZ)).toEqual(['22 okt.', '23 okt.']);
  });

  it('ticks whole buckets only', () => {
    expect(Math.min(...timeIncrs('hour'))).toBe(3600);
    expect(Math.min(...timeIncrs('day'))).toBe(86400);
  });
});

describe('TimeChart', () => {
  const opens = (values: number[], colorVar = '--accent'): ChartSeries[] => [{ label: 'Opens', values, colorVar }];

  for (const w of [300, 420, 640]) {
    it(`spaces English 12-hour tick labels so they never run together (${w} px)`, async () => {
      installI18n('en');
      width = w;
      const axis: ChartAxis = { time: true, unit: 'hour', timeZone: 'UTC' };
      await draw(FLASH, opens([1880, 312, 4]), axis);
      const ticks = xTicks(axisTitle(axis));
      expect(ticks.length).toBeGreaterThan(0);
      // Ticks on whole hours only (the review saw 3:15, 3:30, 3:45 PM between hourly points).
      expect(ticks.every((d) => !/:(15|30|45)/.test(d.text))).toBe(true);
      expect(overlapping(ticks)).toEqual([]);
      // Every label lies inside the canvas (the last one was cut off).
      expect(ticks.every((d) => d.x + (d.text.length * 7) / 2 <= w)).toBe(true);
    });
  }

  it('writes nothing English in a Swedish chart: ticks, axis titles, legend', async () => {
    installI18n('sv');
    const axis: ChartAxis = { time: true, unit: 'hour', timeZone: TZ };
    await draw(FLASH, opens([1880, 312, 4]), axis, { incomplete: 'now' });
    const canvasText = drawn.map((d) => d.text).join(' | ');
    expect(canvasText).toContain('15:00');
    expect(canvasText).toContain('27 nov.');
    expect(canvasText).toContain(`Tid (${TZ})`);
    expect(legend()).toContain('2\u00a0196 totalt');
    expect(root.querySelector('.time-chart__note')?.textContent).toBe(
      'Streckat: den sista timmen är inte slut än, så punkten visar antalet hittills.',
    );
    const everything = `${canvasText} | ${legend()} | ${root.textContent}`;
    expect(everything).not.toMatch(/\b(am|pm|AM|PM|Time|in total|so far|Dashed|Show)\b/);
    expect(everything).not.toMatch(/\d+\/\d+/);
    expect(everything).not.toContain('--');
  });

  it('gives each series’ total in the legend until the pointer is on the chart, and hides the empty time entry', async () => {
    installI18n('sv');
    await draw(FLASH, opens([1880, 312, 4]), { time: true, unit: 'hour', timeZone: TZ });
    expect(legend()).toContain('2\u00a0196 totalt');
    expect(root.querySelector('.uplot')!.classList.contains('time-chart--idle')).toBe(true);
    installI18n('en');
    // Running totals: the total is the last value, not their sum.
    await draw(FLASH, opens([1880, 2192, 2196]), { time: true, unit: 'hour', timeZone: TZ }, { cumulative: true });
    expect(legend()).toContain('2,196 in total');
  });

  it('marks the hour still under way instead of drawing it as a drop', async () => {
    installI18n('en');
    await draw(FLASH, opens([1880, 312, 4]), { time: true, unit: 'hour', timeZone: 'UTC' }, { incomplete: 'now' });
    expect(root.querySelector('.time-chart__note')?.textContent).toBe(
      'Dashed: the last hour is not over yet, so its point is the count so far.',
    );
    const details = root.querySelector('details')!;
    act(() => {
      details.open = true;
      details.dispatchEvent(new Event('toggle'));
    });
    const rows = [...root.querySelectorAll('.time-chart__data tbody th')].map((th) => th.textContent!.replace(/\s/g, ' '));
    expect(rows.at(-1)).toBe('Nov 27, 2026, 4:00 PM (so far)');
    expect(rows[0]).toBe('Nov 27, 2026, 2:00 PM');
    // Once the hour is over, it is a bucket like the others.
    await draw(FLASH, opens([1880, 312, 4]), { time: true, unit: 'hour', timeZone: 'UTC' });
    expect(root.querySelector('.time-chart__note')).toBeNull();
  });
});
