import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  formatDate,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRelative,
  ISSUE_PARAMS,
  issueText,
  t,
  tn,
} from '../../../lib/i18n';
import { ISSUE_CODES } from '../../../lib/workflow/issues';
import { catalogues, installI18n, type Catalogue } from '../helpers/fake-i18n';

const placeholderNames = (catalogue: Catalogue, key: string): string[] =>
  Object.entries(catalogue[key]?.placeholders ?? {})
    .sort(([, a], [, b]) => a.content.localeCompare(b.content))
    .map(([name]) => name.toLowerCase());

describe('message catalogues', () => {
  const en = catalogues.en;
  const sv = catalogues.sv;

  it('has every English key in Swedish and no Swedish key without an English one', () => {
    expect(Object.keys(sv).sort()).toEqual(Object.keys(en).sort());
  });

  it('keeps both catalogues sorted by key (npm run sort-locales), so parallel work merges cleanly', () => {
    for (const catalogue of [en, sv]) {
      const keys = Object.keys(catalogue).slice(3);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('has no empty message, and keys Chrome accepts (unique ignoring case)', () => {
    for (const catalogue of [en, sv]) {
      for (const [key, entry] of Object.entries(catalogue)) {
        expect(key).toMatch(/^[A-Za-z0-9_]+$/);
        expect(entry.message.trim(), key).not.toBe('');
      }
      const lower = Object.keys(catalogue).map((k) => k.toLowerCase());
      expect(new Set(lower).size).toBe(lower.length);
    }
  });

  it('uses the same placeholders in both languages, each defined as $1…$n and used in the message', () => {
    for (const key of Object.keys(en)) {
      expect(placeholderNames(sv, key), key).toEqual(placeholderNames(en, key));
      for (const catalogue of [en, sv]) {
        const entry = catalogue[key]!;
        const names = Object.keys(entry.placeholders ?? {});
        names.forEach((name) => {
          expect(entry.message.toLowerCase(), `${key} uses $${name}$`).toContain(`$${name.toLowerCase()}$`);
        });
        const contents = Object.values(entry.placeholders ?? {}).map((p) => p.content).sort();
        expect(contents, key).toEqual(names.map((_, i) => `$${i + 1}`));
        // Every $WORD$ in the message is a defined placeholder (an undefined one would print as nothing).
        for (const [, used] of entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)) {
          expect(names.map((n) => n.toLowerCase()), `${key}: $${used}$`).toContain(used!.toLowerCase());
        }
      }
    }
  });

  it('has the manifest strings, and a message for every run-log issue code with its parameters in order', () => {
    expect(en.extName?.message).toBe('Tracking Logs');
    expect(sv.extName?.message).toBe('Spårningsloggar');
    expect(en.extDescription).toBeDefined();
    for (const code of ISSUE_CODES) {
      const key = `issue_${code.replaceAll('-', '_')}`;
      expect(en[key], key).toBeDefined();
      expect(placeholderNames(en, key), key).toEqual(ISSUE_PARAMS[code].map((p) => p.toLowerCase()));
    }
  });

  it('has both plural forms of every plural message', () => {
    for (const key of Object.keys(en)) {
      if (key.endsWith('_one')) expect(en[key.replace(/_one$/, '_other')], key).toBeDefined();
      if (key.endsWith('_other')) expect(en[key.replace(/_other$/, '_one')], key).toBeDefined();
    }
  });
});

describe('t and tn', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installI18n('en');
  });

  it('fills placeholders in order', () => {
    expect(t('page_title', ['Sources', 'Tracking Logs'])).toBe('Sources – Tracking Logs');
    expect(t('source_removed', 'News')).toBe('“News” was removed. Its deliveries stay in the tracking view.');
  });

  it('picks the plural form of the catalogue language and formats the count', () => {
    expect(tn('count_events', 1)).toBe('1 event');
    expect(tn('count_events', 1234)).toBe('1,234 events');
    expect(tn('count_events', 0)).toBe('0 events');
    installI18n('sv');
    expect(tn('count_events', 1)).toBe('1 händelse');
    expect(tn('count_events', 2)).toBe('2 händelser');
  });

  it('shows the key rather than nothing when the i18n API is missing', () => {
    (fakeBrowser.i18n as unknown as { getMessage: () => string }).getMessage = () => {
      throw new Error('not implemented');
    };
    expect(t('run_now')).toBe('run_now');
  });
});

describe('issueText', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installI18n('en');
  });

  it('translates each code with its parameters', () => {
    expect(issueText({ code: 'server-error', params: { status: 503 } })).toContain('HTTP 503');
    expect(issueText({ code: 'timeout', params: { host: 'esp.example', seconds: 30 } })).toBe(
      'esp.example did not answer within 30 sec, even after several retries. The next run tries again.',
    );
    expect(issueText({ code: 'retrying', params: { status: 429, waitSeconds: 90, attempt: 2 } })).toBe(
      'Retrying in 1 min 30 sec (attempt 2).',
    );
    expect(issueText({ code: 'rejected', params: { count: 1200 } })).toContain(': 1,200.');
  });

  it('names the field of an invalid setting when known, and stays readable when a parameter is missing', () => {
    expect(issueText({ code: 'config-invalid', params: { field: 'url' } })).toContain('“url”');
    expect(issueText({ code: 'config-invalid', params: {} })).toBe(
      'The source’s settings are incomplete or wrong. Open the source and check them.',
    );
    expect(issueText({ code: 'http-error', params: {} })).toBe('The source answered with an unexpected status (HTTP unknown).');
  });

  it('speaks Swedish in a Swedish browser', () => {
    installI18n('sv');
    expect(issueText({ code: 'unauthorized', params: { status: 401 } })).toMatch(/^Källan godtog inte/);
  });

  it('keeps markup in parameters as inert text', () => {
    const text = issueText({ code: 'internal', params: { message: '<img src=x onerror=alert(1)>' } });
    expect(text).toBe('Something went wrong inside Tracking Logs: <img src=x onerror=alert(1)>');
  });
});

describe('formats', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    installI18n('en', 'en-US');
  });

  it('formats numbers, percentages and dates in the UI language and the given time zone', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(formatPercent(0.1234)).toBe('12.3%');
    const ms = Date.UTC(2025, 2, 12, 13, 5);
    expect(formatDate(ms, 'Europe/Stockholm')).toBe('Mar 12, 2025, 2:05 PM');
    expect(formatDate(ms, 'UTC')).toBe('Mar 12, 2025, 1:05 PM');
    installI18n('sv', 'sv-SE');
    expect(formatDate(ms, 'Europe/Stockholm')).toBe('12 mars 2025 14:05');
    expect(formatNumber(1234567)).toBe('1\u00a0234\u00a0567');
  });

  it('falls back to the browser zone for an unknown time zone instead of failing', () => {
    expect(() => formatDate(0, 'Not/AZone')).not.toThrow();
  });

  it('formats durations and relative times', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 sec');
    expect(formatDuration(185_000)).toBe('3 min 5 sec');
    expect(formatDuration(2 * 3600_000 + 10 * 60_000)).toBe('2 hr 10 min');
    expect(formatDuration(3600_000)).toBe('1 hr');
    const now = Date.UTC(2025, 0, 1, 12);
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now + 2 * 3600_000, now)).toBe('in 2 hours');
    expect(formatRelative(now - 10_000, now)).toBe('now');
    expect(formatRelative(now - 3 * 86400_000, now)).toBe('3 days ago');
  });
});
