import { formatDate, formatNumber, formatPercent, formatRelative, t } from '../lib/i18n';

/** A count, or a dash when the source did not give it. */
export function countOrDash(n: number | undefined): string {
  return n === undefined ? t('value_unknown') : formatNumber(n);
}

/**
 * A rate, or a dash when it cannot be computed (nothing delivered, or the count is unknown). Always one decimal,
 * in headline cards as in table columns, so the same rate reads the same everywhere ("7.0%", not "7%" on one view and
 * "7.0%" on the next) and a column's figures line up.
 */
export function rateOrDash(ratio: number | undefined): string {
  return ratio === undefined ? t('value_unknown') : formatPercent(ratio, true);
}

/** "12 Mar 2025, 14:05 (5 minutes ago)". */
export function dateWithRelative(ms: number, now: number, timeZone: string): string {
  return t('date_with_relative', [formatDate(ms, timeZone), formatRelative(ms, now)]);
}
