import { formatDate, formatNumber, formatTime, t, uiLanguage } from '../lib/i18n';
import type { TimeUnit } from '../lib/indicators/series';

/**
 * How the time charts (components/TimeChart.tsx: the statistics tab's opens and clicks, the URLs tab's clicks over
 * time) name time: tick labels, bucket names for the legend and the data table, axis titles and the screen-reader
 * summary. Everything goes through Intl in the UI language and the chosen time zone; uPlot's own formats are US English
 * ("12am", "10/22/26") whatever the language.
 */

export const HOUR = 3600;
export const DAY = 86400;

/** Where the x values come from: `time` = epoch seconds of each bucket's start; else buckets counted from the send. */
export interface ChartAxis {
  time: boolean;
  unit: TimeUnit;
  timeZone: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: 'tick' | 'day', timeZone: string): Intl.DateTimeFormat {
  const key = `${uiLanguage()}|${kind}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    // A tick is short ("Nov 27", "27 nov."); a day bucket is named in full, as the app's dates are ("Nov 27, 2026").
    const options: Intl.DateTimeFormatOptions = kind === 'tick' ? { day: 'numeric', month: 'short' } : { dateStyle: 'medium' };
    try {
      f = new Intl.DateTimeFormat(uiLanguage(), { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(uiLanguage(), options); // an unknown zone: the browser's rather than no date
    }
    formats.set(key, f);
  }
  return f;
}

/** Tick steps of a calendar axis, in seconds: whole buckets only, so a per-hour chart never gets 15-minute ticks. */
export function timeIncrs(unit: TimeUnit): number[] {
  const hours = [1, 2, 3, 4, 6, 8, 12].map((h) => h * HOUR);
  // From 30 days on uPlot places ticks on the first of a month (and from 365 on the first of a year).
  const days = [1, 2, 3, 4, 5, 7, 10, 14, 30, 60, 90, 180, 365, 730, 1825, 3650].map((d) => d * DAY);
  return unit === 'day' ? days : [...hours, ...days];
}

/** Tick steps of a since-send axis, in buckets: whole hours (or days), in steps that read as such (6, 12, 24 …). */
export function sinceIncrs(unit: TimeUnit): number[] {
  return unit === 'day'
    ? [1, 2, 3, 5, 7, 14, 28, 56, 91, 182, 364, 728, 1820]
    : [1, 2, 3, 6, 12, 24, 48, 72, 96, 120, 168, 336, 504, 720, 1440, 2160, 4320, 8760, 17520, 43800];
}

/**
 * Calendar tick labels (epoch seconds) for ticks `incr` seconds apart: dates when the chart is per day or the ticks a
 * day or more apart; else times of day, with the date under the first tick and under each tick that starts a new day
 * in the zone.
 */
export function timeTickLabels(ticks: readonly number[], incr: number, unit: TimeUnit, timeZone: string): string[] {
  const day = dateFormat('tick', timeZone);
  if (unit === 'day' || incr >= DAY) return ticks.map((v) => day.format(v * 1000));
  let lastDay = '';
  return ticks.map((v) => {
    const d = day.format(v * 1000);
    const time = formatTime(v * 1000, timeZone);
    const label = d !== lastDay ? `${time}\n${d}` : time;
    lastDay = d;
    return label;
  });
}

/** Labels as wide as any tick label of this axis can be, to space the ticks so that labels never touch. */
export function tickLabelSamples(axis: ChartAxis, x: readonly number[]): string[] {
  if (!axis.time) {
    const far = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return [formatNumber(far), formatNumber(-far)];
  }
  const samples: string[] = [];
  // Every month's longest day number, and every hour of a day: "Sep 28", "10:00 PM", "28 sep.", "23:00".
  for (let m = 0; m < 12; m++) samples.push(dateFormat('tick', axis.timeZone).format(Date.UTC(2026, m, 28, 12)));
  if (axis.unit === 'hour') for (let h = 0; h < 24; h++) samples.push(formatTime(Date.UTC(2026, 0, 15, h), axis.timeZone));
  return samples;
}

/** A bucket's name, in the legend, the data table and the summary: "Nov 27, 2026", "Nov 27, 2026, 4:00 PM", "Hour 5". */
export function bucketLabel(v: number, axis: ChartAxis): string {
  if (!axis.time) return t(axis.unit === 'day' ? 'stats_day_n' : 'stats_hour_n', formatNumber(v));
  return axis.unit === 'day' ? dateFormat('day', axis.timeZone).format(v * 1000) : formatDate(v * 1000, axis.timeZone);
}

/** The x axis title: "Time (Europe/Stockholm)", "Hours since send". */
export function axisTitle(axis: ChartAxis): string {
  if (axis.time) return t('stats_x_calendar', axis.timeZone);
  return t(axis.unit === 'day' ? 'stats_x_since_days' : 'stats_x_since_hours');
}

/** A series' total over the chart: the sum of its buckets, or its last value when the values are running totals. */
export function seriesTotal(values: readonly number[], cumulative: boolean): number {
  if (cumulative) return values.at(-1) ?? 0;
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** One sentence for screen readers: "Opens: 2,184 in all; highest value 1,880 at Nov 27, 2026, 3:00 PM." */
export function chartSummary(
  label: string,
  values: readonly number[],
  x: readonly number[],
  cumulative: boolean,
  formatX: (v: number) => string,
): string {
  let peak = 0;
  let at = 0;
  values.forEach((v, i) => {
    if (v > peak) {
      peak = v;
      at = i;
    }
  });
  return t('stats_chart_summary', [label, formatNumber(seriesTotal(values, cumulative)), formatNumber(peak), formatX(x[at] ?? 0)]);
}
