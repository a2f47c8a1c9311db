import { browser } from 'wxt/browser';
import type { IssueCode, RunIssue } from './workflow/issues';
// Type-only: the catalogue itself is read by the browser (chrome.i18n), not bundled into every page.
import type enMessages from '../public/_locales/en/messages.json';

/**
 * Every string a user sees goes through `t()`, over the browser's own i18n (public/_locales/{en,sv}/messages.json),
 * so the extension follows the browser's language with no runtime download. Numbers and dates go through Intl in the
 * browser's UI language.
 */
export type MessageKey = keyof typeof enMessages;
export type Substitution = string | number;

/** Keys that exist as a `_one`/`_other` pair, without the suffix. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}_other` ? (`${Base}_one` extends MessageKey ? Base : never) : never;
}[MessageKey];

function toStrings(subs: Substitution | readonly Substitution[] | undefined): string[] | undefined {
  if (subs === undefined) return undefined;
  const list = Array.isArray(subs) ? subs : [subs as Substitution];
  return list.map((s) => String(s));
}

/**
 * The translated message `key`, with `$1`…`$9` placeholders filled from `substitutions` in order (the placeholder
 * names in messages.json say what each position is). Falls back to the key when the API answers nothing, so a missing
 * translation shows up as a readable key rather than an empty label.
 */
export function t(key: MessageKey, substitutions?: Substitution | readonly Substitution[]): string {
  const subs = toStrings(substitutions);
  let text = '';
  try {
    text = subs === undefined ? browser.i18n.getMessage(key) : browser.i18n.getMessage(key, subs);
  } catch {
    // No i18n API (a unit test without the fake, or a torn-down page): the key is better than a crash.
  }
  return text || key;
}

/** The language of the message catalogue actually in use ("en" or "sv"), for plural rules and `<html lang>`. */
export function messagesLocale(): string {
  const locale = t('locale');
  return locale === 'locale' ? 'en' : locale;
}

/** The browser's UI language, for Intl number and date formats. */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

const pluralRulesCache = new Map<string, Intl.PluralRules>();
function pluralCategory(count: number): Intl.LDMLPluralRule {
  // Plural rules of the catalogue's language, not the UI language: an English fallback catalogue read in a
  // Polish browser must still pick between "_one" and "_other", the only forms our catalogues have.
  const locale = messagesLocale();
  let rules = pluralRulesCache.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRulesCache.set(locale, rules);
  }
  return rules.select(count);
}

/**
 * A count with its noun in the right form: `tn('count_events', 3)` reads `count_events_one` or `count_events_other`.
 * The count is the first substitution (already formatted for the UI language); `more` follow it.
 */
export function tn(key: PluralKey, count: number, more: readonly Substitution[] = []): string {
  const category = pluralCategory(count);
  const subs = [formatNumber(count), ...more];
  return t(category === 'one' ? `${key}_one` : `${key}_other`, subs);
}

// ---------------------------------------------------------------------------------------------------------------
// Formats

const formatCache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  id: string,
  make: (lang: string) => T,
): T {
  const lang = uiLanguage();
  const cacheKey = `${lang}|${id}`;
  let f = formatCache.get(cacheKey) as T | undefined;
  if (!f) {
    f = make(lang);
    formatCache.set(cacheKey, f);
  }
  return f;
}

function dateFormat(timeZone: string | undefined, options: Intl.DateTimeFormatOptions, id: string): Intl.DateTimeFormat {
  return cached(`date|${id}|${timeZone ?? ''}`, (lang) => {
    try {
      return new Intl.DateTimeFormat(lang, { ...options, timeZone });
    } catch {
      // An unknown zone: the browser's own rather than no date at all.
      return new Intl.DateTimeFormat(lang, options);
    }
  });
}

/** A date and time, e.g. "12 Mar 2025, 14:05", in `timeZone` (IANA; undefined = the browser's). */
export function formatDate(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { dateStyle: 'medium', timeStyle: 'short' }, 'medium').format(ms);
}

/** A date and time with seconds, for logs. */
export function formatDateTimeLong(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { dateStyle: 'medium', timeStyle: 'medium' }, 'long').format(ms);
}

/** A time of day only, e.g. "14:05". */
export function formatTime(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { timeStyle: 'short' }, 'time').format(ms);
}

export function formatNumber(n: number): string {
  return cached('number', (lang) => new Intl.NumberFormat(lang)).format(n);
}

/**
 * A ratio (0.1234) as a percentage in the UI language's style, with at most one decimal ("12.3 %", "4 %"); `fixed`:
 * always one decimal ("4.0 %"), for table columns, where the figures line up.
 */
export function formatPercent(ratio: number, fixed = false): string {
  const key = fixed ? 'percent|fixed' : 'percent';
  const min = fixed ? 1 : 0;
  return cached(key, (lang) => new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: min, maximumFractionDigits: 1 })).format(
    ratio,
  );
}

function unitFormat(unit: 'hour' | 'minute' | 'second'): Intl.NumberFormat {
  return cached(`unit|${unit}`, (lang) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' }));
}

/** A duration: "850 ms" below a second, then "42 sec", "3 min 5 sec", "2 hr 10 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) {
    return cached('unit|ms', (lang) =>
      new Intl.NumberFormat(lang, { style: 'unit', unit: 'millisecond', unitDisplay: 'short' }),
    ).format(Math.round(ms));
  }
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return minutes > 0
      ? `${unitFormat('hour').format(hours)} ${unitFormat('minute').format(minutes)}`
      : unitFormat('hour').format(hours);
  }
  if (minutes > 0) {
    return seconds > 0
      ? `${unitFormat('minute').format(minutes)} ${unitFormat('second').format(seconds)}`
      : unitFormat('minute').format(minutes);
  }
  return unitFormat('second').format(seconds);
}

/** How long ago or ahead `ms` is from `now`: "5 minutes ago", "in 2 hours", "now". */
export function formatRelative(ms: number, now: number): string {
  const rtf = cached('relative', (lang) => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  const diffSeconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(diffSeconds);
  if (abs < 45) return rtf.format(0, 'second');
  // Minutes up to an hour: "in 55 minutes" for the next run is more useful than "in 1 hour".
  if (abs < 59.5 * 60) return rtf.format(Math.round(diffSeconds / 60), 'minute');
  if (abs < 23.5 * 3600) return rtf.format(Math.round(diffSeconds / 3600), 'hour');
  return rtf.format(Math.round(diffSeconds / 86400), 'day');
}

// ---------------------------------------------------------------------------------------------------------------
// Run-log issues

/**
 * The parameters each issue's message uses, in the order of its `$1`, `$2` … placeholders in messages.json (a unit
 * test keeps the two in step). The sources and the workflow fill `RunIssue.params` with these names (lib/sources/http.ts,
 * lib/workflow/run.ts); parameters not listed here are kept in the log but not shown.
 */
export const ISSUE_PARAMS: Record<IssueCode, readonly string[]> = {
  unauthorized: [],
  forbidden: [],
  'not-found': [],
  'rate-limited': ['retryAfterSeconds'],
  'server-error': ['status'],
  'http-error': ['status'],
  timeout: ['host', 'seconds'],
  network: ['host'],
  unparseable: ['detail'],
  'no-permission': [],
  'config-invalid': [],
  internal: ['message'],
  'storage-full': [],
  'credentials-missing': [],
  'credentials-invalid': ['field'],
  'key-or-region-rejected': ['host'],
  'ip-not-allowed': [],
  'login-failed': [],
  'wrong-instance': ['host'],
  'operator-lacks-right': ['detail'],
  'soap-fault': ['detail'],
  retrying: ['waitSeconds', 'attempt'],
  rejected: ['count'],
  interrupted: [],
  'page-limit': [],
  'row-ceiling': ['count'],
  'import-cancelled': ['name'],
};

/** Issues with a more precise message when a parameter is present: `config-invalid` naming the field. */
const ISSUE_VARIANTS: Partial<Record<IssueCode, { param: string; key: MessageKey; params: readonly string[] }>> = {
  'config-invalid': { param: 'field', key: 'issue_config_invalid_field', params: ['field'] },
};

/** Parameters that are durations in seconds are shown as durations ("1 min 30 sec"), not bare numbers. */
function formatParam(name: string, value: string | number | undefined): string {
  if (typeof value === 'number') {
    return name === 'seconds' || name.endsWith('Seconds') ? formatDuration(value * 1000) : formatNumber(value);
  }
  if (typeof value === 'string' && value !== '') return value;
  return t('issue_param_unknown');
}

/** A run-log issue in the user's language. Parameters are inserted as plain text (never markup). */
export function issueText(issue: Pick<RunIssue, 'code' | 'params'>): string {
  const params = issue.params ?? {};
  const variant = ISSUE_VARIANTS[issue.code];
  if (variant && params[variant.param] !== undefined && params[variant.param] !== '') {
    return t(
      variant.key,
      variant.params.map((name) => formatParam(name, params[name])),
    );
  }
  const key = `issue_${issue.code.replaceAll('-', '_')}` as MessageKey;
  const names = ISSUE_PARAMS[issue.code] ?? [];
  return t(
    key,
    names.map((name) => formatParam(name, params[name])),
  );
}
