import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from '../../../../lib/i18n';

export interface ClicksChartSeries {
  label: string;
  values: number[];
}

const COLOURS = ['#1f5fbf', '#c2410c', '#15803d', '#9333ea', '#b91c1c', '#0e7490', '#a16207', '#4d7c0f'];

/**
 * Clicks over time as bars-like steps, one line per selected link and a total, with uPlot (destroyed on unmount and
 * rebuilt when the data changes). The x axis is calendar time in the view's time zone, or hours since the send.
 */
export function ClicksChart({
  x,
  series,
  timeZone,
  sinceSend,
}: {
  x: number[];
  series: ClicksChartSeries[];
  timeZone: string;
  /** x holds hours since the send instead of epoch seconds. */
  sinceSend: boolean;
}): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || x.length === 0) return undefined;
    const width = Math.max(320, el.clientWidth || 720);
    const opts: uPlot.Options = {
      width,
      height: 240,
      scales: { x: { time: !sinceSend } },
      ...(sinceSend ? {} : { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), timeZone) }),
      axes: [{}, { values: (_u, splits) => splits.map((v) => formatNumber(v)) }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: COLOURS[i % COLOURS.length]!,
          width: i === series.length - 1 ? 2 : 1.5,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatNumber(v)),
        })),
      ],
      legend: { show: true },
    };
    const chart = new uPlot(opts, [x, ...series.map((s) => s.values)], el);
    const resize = (): void => chart.setSize({ width: Math.max(320, el.clientWidth || width), height: 240 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [x, series, timeZone, sinceSend]);
  return <div ref={host} class="clicks-chart" />;
}
