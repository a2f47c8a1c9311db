// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { RunLog } from '../../../components/RunLog';
import type { RunRow } from '../../../lib/db/schema';
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

const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

const run: RunRow = {
  id: 1,
  trigger: 'alarm',
  startedAt: 0,
  heartbeat: 1,
  endedAt: 1,
  status: 'warning',
  sources: [{ sourceId: 's', label: hostile, kind: 'feed', pages: 1, fetched: 3, stored: 1, duplicates: 0, rejected: 2, ok: true, done: true }],
  log: [
    { level: 'warning', code: 'rejected', params: { count: 2 }, sourceId: 's', at: 0 },
    { level: 'error', code: 'internal', params: { message: hostile }, at: 0 },
  ],
  rejectedSamples: [{ sourceId: 's', reason: hostile, sample: `{"recipient":"${hostile}"}` }],
};

describe('RunLog', () => {
  it('translates the issues and shows the level of each', () => {
    render(<RunLog run={run} timeZone="UTC" />, root);
    const items = [...root.querySelectorAll('.issue')];
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Warning');
    expect(items[0]!.textContent).toContain('Records set aside because they failed validation: 2.');
    expect(items[1]!.textContent).toContain('Error');
  });

  it('shows rejected samples, labels and parameters verbatim as text, never as markup', () => {
    render(<RunLog run={run} timeZone="UTC" />, root);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('script')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(root.querySelector('.rejected__sample')?.textContent).toBe(`{"recipient":"${hostile}"}`);
    expect(root.querySelector('.rejected__source')?.textContent).toBe(hostile);
    expect(root.textContent).toContain(`Reason: ${hostile}`);
  });

  it('says so when there is nothing to report', () => {
    render(<RunLog run={{ ...run, log: [], rejectedSamples: [] }} timeZone="UTC" />, root);
    expect(root.textContent).toContain('Nothing to report');
    expect(root.textContent).toContain('No record was rejected.');
  });
});
