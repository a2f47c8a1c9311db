import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './TimeChart.css';
import { formatNumber, t, type MessageKey } from '../lib/i18n';
import type { IncompleteBucket, TimeUnit } from '../lib/indicators/series';
import { DAY, HOUR, seriesTotal, sinceIncrs, tickLabelSamples, timeIncrs, timeTickLabels } from './chart-time';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** A CSS custom property of components/styles.css or TimeChart.css (`--accent`, `--chart-2`): light and dark colours follow the scheme. */
  colorVar: string;
  /** Shade the area under the line (default). Off for lines drawn over another series' area. */
  fill?: boolean;
}

export interface TimeChartProps {
  /** Names the chart for assistive technology; also the caption of its data table. */
  title: string;
  /** Bucket starts: epoch seconds (when `time`), or buckets since the send. */
  x: readonly number[];
  series: readonly ChartSeries[];
  /** x is time: ticks and the legend are dates in `timeZone`. */
  time: boolean;
  /** The bucket: ticks fall on whole buckets, and a per-day chart has dates, never times of day. */
  unit: TimeUnit;
  timeZone: string;
  /** The values are running totals: a series' total is its last value, not its sum. */
  cumulative?: boolean;
  /** The last bucket is only part of one (the hour still under way, or cut by a time window): drawn dashed, and named so. */
  incomplete?: IncompleteBucket | undefined;
  /** Axis titles. */
  xLabel: string;
  yLabel: string;
  /** How a bucket is named in the legend, the data table and the summary (a date, or "hour 5"). */
  formatX: (x: number) => string;
  /** A short sentence for screen readers: totals and peak. */
  summary: string;
  height?: number;
  /** Extra class on the figure (a hook for a view's tests and styles). */
  class?: string;
  /** Called once, after the first draw (for the statistics tab's "drawn" performance mark). */
  onDrawn?: () => void;
}

const FONT = '12px system-ui, sans-serif';
/** Room between two x tick labels, px. */
const LABEL_GAP = 18;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** `color` (a `#rrggbb` custom property value) at opacity `alpha`; canvas fill styles need a plain colour. */
function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return 'transparent';
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** The widest of `texts` (multi-line labels: their widest line) in the axis font, px. */
function textWidth(texts: readonly string[]): number {
  const lines = texts.flatMap((s) => s.split('\n'));
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = document.createElement('canvas').getContext('2d');
  } catch {
    // no canvas: estimate below
  }
  let width = 0;
  for (const line of lines) {
    let w = line.length * 7;
    if (ctx && typeof ctx.measureText === 'function') {
      ctx.font = FONT;
      w = ctx.measureText(line).width || w;
    }
    width = Math.max(width, w);
  }
  return Math.ceil(width);
}

/** Whole counts: the y axis never ticks at 0.5 of an open. */
const COUNT_INCRS: number[] = [];
for (let p = 1; p <= 1e9; p *= 10) COUNT_INCRS.push(p, 2 * p, 2.5 * p, 5 * p);

const WHEN_KEYS: Record<IncompleteBucket, MessageKey> = { now: 'chart_when_so_far', window: 'chart_when_partial' };
const NOTE_KEYS: Record<IncompleteBucket, Record<TimeUnit, MessageKey>> = {
  now: { hour: 'chart_note_so_far_hour', day: 'chart_note_so_far_day' },
  window: { hour: 'chart_note_partial_hour', day: 'chart_note_partial_day' },
};

/** The colour scheme, so charts redraw with the dark or light palette when it changes. */
function useColorScheme(): 'dark' | 'light' {
  const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const onChange = (e: MediaQueryListEvent): void => setDark(e.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark ? 'dark' : 'light';
}

/**
 * Counts over time (uPlot): one point per bucket joined by lines, with an accessible summary and its data as a table on
 * demand. Dates on the axis and in the legend are in `timeZone` (uPlot `tzDate`), formatted by ./chart-time.ts in the
 * UI language. Destroyed on unmount.
 */
export function TimeChart(props: TimeChartProps): JSX.Element {
  const { title, x, series, time, unit, timeZone, cumulative = false, incomplete, xLabel, yLabel, summary, height = 220 } = props;
  const target = useRef<HTMLDivElement>(null);
  const drawnRef = useRef(props.onDrawn);
  drawnRef.current = props.onDrawn;
  // The caller's formatter is a new function each render; the chart is rebuilt on what it formats, not on it.
  const formatRef = useRef(props.formatX);
  formatRef.current = props.formatX;
  const scheme = useColorScheme();
  const [showTable, setShowTable] = useState(false);
  const partial = incomplete !== undefined && x.length > 0 ? x.length - 1 : -1;
  const bucketName = (v: number, i: number): string =>
    i === partial && incomplete ? t(WHEN_KEYS[incomplete], formatRef.current(v)) : formatRef.current(v);

  // A layout effect: the chart is built in the same frame as its container, not one paint later.
  useLayoutEffect(() => {
    const el = target.current;
    if (!el) return;
    const text = cssVar('--muted', '#5b6066');
    const grid = cssVar('--border', '#d9dad6');
    const colors = series.map((s) => cssVar(s.colorVar, '#1f5fbf'));
    const totals = series.map((s) => seriesTotal(s.values, cumulative));
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: FONT,
      labelFont: FONT,
    });
    // Ticks at least one label apart, measured on the labels this axis can show (in English "10:00 PM" is twice
    // "22:00"): uPlot's default spacing let the 12-hour labels run together. Half a label of padding on the right
    // keeps the last one inside the canvas.
    const labelWidth = textWidth(tickLabelSamples({ time, unit, timeZone }, x));
    // Half a bucket of room either side, so the first and last points (and their ticks) are not on the frame.
    const half = time ? (unit === 'day' ? DAY : HOUR) / 2 : 0.5;
    let drawn = false;

    // The incomplete last bucket: the solid line stops one bucket earlier, a dashed segment (drawSeries hook) leads
    // to the count so far, its point is always drawn and its column shaded (drawAxes hook). Leaving it out would
    // hide clicks the table counts, and hide everything in the first hour after a send; drawing it plain reads as
    // a sudden drop.
    const linear = uPlot.paths.linear!();
    const solid: uPlot.Series.PathBuilder =
      partial < 0 ? linear : (u, si, i0, i1) => (Math.min(i1, partial - 1) > i0 ? linear(u, si, i0, Math.min(i1, partial - 1)) : null);
    const showPoints = x.length < 60;

    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth || 640),
      height,
      padding: [null, Math.ceil(labelWidth / 2) + 4, null, null],
      ...(time ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) } : {}),
      scales: {
        x: { time, range: (_u, min, max) => (min === null || max === null ? [min, max] : [min - half, max + half]) },
        y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, Math.max(1, max), 0.1, true)[1]] },
      },
      axes: [
        {
          ...axis(xLabel),
          space: labelWidth + LABEL_GAP,
          incrs: time ? timeIncrs(unit) : sinceIncrs(unit),
          // Tick labels in the UI language and the zone (uPlot's own are US English month/day and "12am").
          values: (_u: uPlot, ticks: number[], _axis: number, _space: number, incr: number) =>
            time ? timeTickLabels(ticks, incr, unit, timeZone) : ticks.map((v) => formatNumber(v)),
        },
        {
          ...axis(yLabel),
          size: 60,
          incrs: COUNT_INCRS,
          values: (_u: uPlot, ticks: number[]) => ticks.map((v) => formatNumber(v)),
        },
      ],
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        {
          label: xLabel,
          value: (_u: uPlot, v: number | null, _si: number, idx: number | null) =>
            v === null || idx === null ? '' : bucketName(v, idx),
        },
        ...series.map((s, i) => {
          const color = colors[i]!;
          return {
            label: s.label,
            stroke: color,
            width: 2,
            fill: s.fill === false ? undefined : withAlpha(color, 0.12),
            paths: solid,
            points: {
              show: showPoints,
              filter: (_u: uPlot, _si: number, show: boolean) => (show || partial < 0 ? null : [partial]),
            },
            // Away from the chart, the legend gives each series' total rather than an empty "Opens:".
            value: (_u: uPlot, v: number | null, _si: number, idx: number | null) =>
              idx === null ? t('chart_legend_total', formatNumber(totals[i]!)) : v === null ? '' : formatNumber(v),
          } satisfies uPlot.Series;
        }),
      ],
      hooks: {
        drawAxes: [
          (u) => {
            if (partial < 0) return;
            const { ctx, bbox } = u;
            const xv = u.data[0][partial]!;
            const left = Math.max(bbox.left, u.valToPos(xv - half, 'x', true));
            const right = Math.min(bbox.left + bbox.width, u.valToPos(xv + half, 'x', true));
            if (right <= left) return;
            ctx.save();
            ctx.fillStyle = withAlpha(text.startsWith('#') ? text : '#5b6066', 0.08);
            ctx.fillRect(left, bbox.top, right - left, bbox.height);
            ctx.restore();
          },
        ],
        drawSeries: [
          (u, si) => {
            if (partial < 1 || !u.series[si]!.show) return;
            const ys = u.data[si]!;
            const y0 = ys[partial - 1];
            const y1 = ys[partial];
            if (y0 == null || y1 == null) return;
            const { ctx, bbox } = u;
            ctx.save();
            ctx.beginPath();
            ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
            ctx.clip();
            ctx.strokeStyle = colors[si - 1]!;
            ctx.lineWidth = 2 * uPlot.pxRatio;
            ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
            ctx.beginPath();
            ctx.moveTo(u.valToPos(u.data[0][partial - 1]!, 'x', true), u.valToPos(y0, 'y', true));
            ctx.lineTo(u.valToPos(u.data[0][partial]!, 'x', true), u.valToPos(y1, 'y', true));
            ctx.stroke();
            ctx.restore();
          },
        ],
        // The time entry of the legend says nothing away from the chart: hidden then (TimeChart.css).
        setLegend: [(u) => u.root.classList.toggle('time-chart--idle', u.legend.idx == null)],
        draw: [
          () => {
            if (drawn) return;
            drawn = true;
            drawnRef.current?.();
          },
        ],
      },
    };
    const data = [Array.from(x), ...series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    plot.root.classList.toggle('time-chart--idle', plot.legend.idx == null);
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver === 'function') {
      observer = new ResizeObserver(() => {
        const width = Math.max(280, el.clientWidth);
        if (width !== plot.width) plot.setSize({ width, height });
      });
      observer.observe(el);
    }
    return () => {
      observer?.disconnect();
      plot.destroy();
    };
  }, [x, series, time, unit, timeZone, cumulative, incomplete, xLabel, yLabel, height, scheme]);

  return (
    <figure class={props.class ? `time-chart ${props.class}` : 'time-chart'}>
      <figcaption class="time-chart__title">{title}</figcaption>
      <p class="visually-hidden">{summary}</p>
      <div class="time-chart__plot" ref={target} aria-hidden="true" />
      {incomplete && <p class="time-chart__note muted">{t(NOTE_KEYS[incomplete][unit])}</p>}
      <details
        class="time-chart__data"
        onToggle={(e) => setShowTable((e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary>{t('stats_chart_show_data')}</summary>
        {showTable && (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{xLabel}</th>
                  {series.map((s, si) => (
                    <th scope="col" class="num" key={si}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {x.map((v, i) => (
                  <tr key={v}>
                    <th scope="row">{bucketName(v, i)}</th>
                    {series.map((s, si) => (
                      <td class="num" key={si}>
                        {formatNumber(s.values[i] ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
    </figure>
  );
}
