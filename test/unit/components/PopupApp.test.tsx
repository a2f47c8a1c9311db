// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../../entrypoints/popup/App';
import { preloadHealth } from '../../../components/use-health';
import { db } from '../../../lib/db/instance';
import { runWorkflow } from '../../../lib/workflow/run';
import { installI18n } from '../helpers/fake-i18n';
import { addFeed, deps, makeEvents, pagedAdapter } from '../lib/workflow/helpers';

let root: HTMLElement;

beforeEach(async () => {
  fakeBrowser.reset();
  installI18n('en');
  await db.delete();
  await db.open();
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('popup', () => {
  it('shows the health in its first render when it was read before, and a loading state when not', async () => {
    await addFeed(db);
    await runWorkflow(deps(db, pagedAdapter(makeEvents(50), 50)), 'manual');

    render(<App />, root);
    expect(root.querySelector('.health-panel')).toBeNull();
    render(null, root);

    render(<App preloaded={await preloadHealth()} />, root);
    expect(root.querySelector('.health-panel')).not.toBeNull(); // synchronously: no loading state in between
    // Worked out from the run above, dated by the test clock (27 Nov 2026, 10:00 UTC), hours before now: out of date.
    expect(root.querySelector('.health-badge')?.textContent).toMatch(/out of date/i);
  });
});
