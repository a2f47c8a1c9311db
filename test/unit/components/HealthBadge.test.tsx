// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { HealthBadge } from '../../../components/HealthBadge';
import { HealthPanel } from '../../../components/HealthPanel';
import type { RunRow } from '../../../lib/db/schema';
import { computeHealth, type HealthState } from '../../../lib/workflow/health';
import { installI18n } from '../helpers/fake-i18n';

let root: HTMLElement;

beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('HealthBadge', () => {
  const cases: [HealthState, string][] = [
    ['never', 'Not run yet'],
    ['running', 'Running'],
    ['healthy', 'Healthy'],
    ['warning', 'Warnings'],
    ['failing', 'Failing'],
    ['stale', 'Out of date'],
  ];

  it.each(cases)('shows %s as words and a state class, not colour alone', (state, label) => {
    render(<HealthBadge state={state} />, root);
    const badge = root.querySelector('.health-badge')!;
    expect(badge.textContent).toContain(label);
    expect(badge.classList.contains(`health-badge--${state}`)).toBe(true);
    expect(badge.querySelector('[aria-hidden="true"]')?.textContent).not.toBe('');
  });

  it('speaks Swedish in a Swedish browser', () => {
    installI18n('sv');
    render(<HealthBadge state="failing" />, root);
    expect(root.textContent).toContain('Misslyckas');
  });
});

describe('HealthPanel', () => {
  const NOW = Date.UTC(2026, 0, 15, 12);
  const failed: RunRow = {
    id: 3,
    trigger: 'manual',
    startedAt: NOW - 5 * 60_000,
    heartbeat: NOW - 5 * 60_000 + 2_500,
    endedAt: NOW - 5 * 60_000 + 2_500,
    status: 'error',
    sources: [
      { sourceId: 's', label: 'ESP', kind: 'feed', pages: 1, fetched: 0, stored: 0, duplicates: 0, rejected: 0, ok: false, done: false },
    ],
    log: [{ level: 'error', code: 'unauthorized', params: {}, sourceId: 's', at: NOW }],
    rejectedSamples: [],
  };

  it('says what a failing workflow means, when it last ran, and when it runs next', () => {
    const health = computeHealth({
      runs: [failed],
      sources: [{ id: 's', kind: 'feed', label: 'ESP', enabled: true, config: {}, cursor: null, createdAt: 0 }],
      periodMinutes: 60,
      now: NOW,
      nextRunAt: NOW + 55 * 60_000,
    });
    render(<HealthPanel health={health} now={NOW} timeZone="UTC" />, root);
    const text = root.textContent ?? '';
    expect(text).toContain('Failing');
    expect(text).toContain('The last run failed');
    expect(text).toContain('5 minutes ago');
    expect(text).toContain('Duration3 sec');
    expect(text).toContain('Last successful run');
    expect(text).toContain('None yet');
    expect(text).toContain('in 55 minutes');
  });

  it('shows the progress of a live run with the source being fetched', () => {
    const live: RunRow = {
      ...failed,
      status: 'running',
      endedAt: undefined,
      heartbeat: NOW - 1_000,
      sources: [{ ...failed.sources[0]!, ok: true, stored: 1234, label: '<b>ESP</b>' }],
      log: [],
    };
    const health = computeHealth({
      runs: [live],
      sources: [{ id: 's', kind: 'feed', label: '<b>ESP</b>', enabled: true, config: {}, cursor: null, createdAt: 0 }],
      periodMinutes: 60,
      now: NOW,
    });
    render(<HealthPanel health={health} now={NOW} timeZone="UTC" />, root);
    expect(root.textContent).toContain('1,234 events stored so far');
    expect(root.textContent).toContain('now fetching <b>ESP</b> (source 1 of 1)');
    // A label from a source is text, never markup.
    expect(root.querySelector('b')).toBeNull();
  });
});
