import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { axisTitle, bucketLabel, chartSummary, type ChartAxis } from '../../../../components/chart-time';
import { TimeChart, type ChartSeries } from '../../../../components/TimeChart';
import { t } from '../../../../lib/i18n';
import type { IncompleteBucket } from '../../../../lib/indicators/series';

export interface ClicksChartSeries {
  label: string;
  values: readonly number[];
}

/**
 * Clicks over time on the URLs tab: all links together as the shaded backdrop, each chosen link as a line of its own
 * colour (TimeChart.css `--chart-n`). It is the statistics tab's TimeChart, so ticks, legend, axis titles and time zone
 * read the same on both tabs.
 */
export function ClicksChart({
  x,
  all,
  chosen,
  axis,
  incomplete,
}: {
  /** Bucket starts: epoch seconds on calendar time, else hours (or days) since the send. */
  x: readonly number[];
  all: readonly number[];
  chosen: readonly ClicksChartSeries[];
  axis: ChartAxis;
  incomplete: IncompleteBucket | undefined;
}): JSX.Element {
  const series: ChartSeries[] = useMemo(
    () => [
      // Alone it is the chart's subject (the accent); under chosen links it is the grey context.
      { label: t('urls_chart_all_links'), values: all, colorVar: chosen.length === 0 ? '--accent' : '--muted' },
      ...chosen.map((s, i) => ({ label: s.label, values: s.values, colorVar: `--chart-${(i % 8) + 1}`, fill: false })),
    ],
    [all, chosen],
  );
  const formatX = (v: number): string => bucketLabel(v, axis);
  return (
    <TimeChart
      class="clicks-chart"
      title={t(axis.unit === 'day' ? 'stats_clicks_per_day' : 'stats_clicks_per_hour')}
      x={x}
      series={series}
      time={axis.time}
      unit={axis.unit}
      timeZone={axis.timeZone}
      incomplete={incomplete}
      xLabel={axisTitle(axis)}
      yLabel={t('stats_y_clicks')}
      formatX={formatX}
      summary={series.map((s) => chartSummary(s.label, s.values, x, false, formatX)).join(' ')}
      height={240}
    />
  );
}
