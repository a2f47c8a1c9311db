import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './TimeChart.css';
import { formatNumber, t, uiLanguage } from '../lib/i18n';

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** A CSS custom property of components/styles.css (`--accent`): light and dark colours follow the scheme. */
  colorVar: string;
}

export interface TimeChartProps {
  /** Names the chart for assistive technology; also the caption of its data table. */
  title: string;
  /** Epoch seconds (when `time`) or plain numbers (hours since send …). */
  x: readonly number[];
  series: readonly ChartSeries[];
  /** x is time: ticks and the legend are dates in `timeZone`. */
  time: boolean;
  timeZone: string;
  /** Axis titles. */
  xLabel: string;
  yLabel: string;
  /** How a bucket is named in the data table and the summary (a date, or "hour 5"). */
  formatX: (x: number) => string;
  /** A short sentence for screen readers: totals and peak. */
  summary: string;
  height?: number;
  /** Called once, after the first draw (for the statistics tab's "drawn" performance mark). */
  onDrawn?: () => void;
}

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

const tickFormats = new Map<string, Intl.DateTimeFormat>();
function tickFormat(kind: 'day' | 'time', timeZone: string): Intl.DateTimeFormat {
  const key = `${uiLanguage()}|${kind}|${timeZone}`;
  let f = tickFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day' ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit' };
    try {
      f = new Intl.DateTimeFormat(uiLanguage(), { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(uiLanguage(), options);
    }
    tickFormats.set(key, f);
  }
  return f;
}

/**
 * Time tick labels (epoch seconds): dates when ticks are a day or more apart; else times of day, with the date on
 * the first tick and on each tick that starts a new day in the zone.
 */
function timeTicks(ticks: number[], timeZone: string): string[] {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 86400;
  const day = tickFormat('day', timeZone);
  if (step >= 86400) return ticks.map((v) => day.format(v * 1000));
  const time = tickFormat('time', timeZone);
  let lastDay = '';
  return ticks.map((v) => {
    const d = day.format(v * 1000);
    const label = d !== lastDay ? `${time.format(v * 1000)}\n${d}` : time.format(v * 1000);
    lastDay = d;
    return label;
  });
}

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
 * A line chart of counts over time (uPlot), with an accessible summary and its data as a table on demand. Dates on
 * the axis and in the legend are in `timeZone` (uPlot `tzDate`). Destroyed on unmount.
 */
export function TimeChart(props: TimeChartProps): JSX.Element {
  const { title, x, series, time, timeZone, xLabel, yLabel, formatX, summary, height = 220, onDrawn } = props;
  const target = useRef<HTMLDivElement>(null);
  const drawnRef = useRef(onDrawn);
  drawnRef.current = onDrawn;
  const scheme = useColorScheme();
  const [showTable, setShowTable] = useState(false);

  // A layout effect: the chart is built in the same frame as its container, not one paint later.
  useLayoutEffect(() => {
    const el = target.current;
    if (!el) return;
    const text = cssVar('--muted', '#5b6066');
    const grid = cssVar('--border', '#d9dad6');
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      font: '12px system-ui, sans-serif',
      labelFont: '12px system-ui, sans-serif',
    });
    let drawn = false;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth || 640),
      height,
      ...(time ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) } : {}),
      scales: { x: { time }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        {
          ...axis(xLabel),
          // Tick labels in the UI language and the zone (uPlot's own are US English month/day).
          values: (_u: uPlot, ticks: number[]) => (time ? timeTicks(ticks, timeZone) : ticks.map((v) => formatNumber(v))),
        },
        { ...axis(yLabel), size: 60, values: (_u: uPlot, ticks: number[]) => ticks.map((v) => formatNumber(v)) },
      ],
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: xLabel, value: (_u: uPlot, v: number | null) => (v === null ? '' : formatX(v)) },
        ...series.map((s) => {
          const color = cssVar(s.colorVar, '#1f5fbf');
          return {
            label: s.label,
            stroke: color,
            width: 2,
            fill: withAlpha(color, 0.12),
            points: { show: x.length < 60 },
            value: (_u: uPlot, v: number | null) => (v === null ? '' : formatNumber(v)),
          } satisfies uPlot.Series;
        }),
      ],
      hooks: {
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
  }, [x, series, time, timeZone, xLabel, yLabel, height, scheme]);

  return (
    <figure class="time-chart">
      <figcaption class="time-chart__title">{title}</figcaption>
      <p class="visually-hidden">{summary}</p>
      <div class="time-chart__plot" ref={target} aria-hidden="true" />
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
                  {series.map((s) => (
                    <th scope="col" class="num" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {x.map((v, i) => (
                  <tr key={v}>
                    <th scope="row">{formatX(v)}</th>
                    {series.map((s) => (
                      <td class="num" key={s.label}>
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
