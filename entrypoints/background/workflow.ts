import { browser } from 'wxt/browser';
import { openDb, type SourceRow } from '../../lib/db/schema';
import { feedSource } from '../../lib/sources/feed';
import { sampleSource } from '../../lib/sources/sample';
import { getSecret } from '../../lib/sources/secrets';
import { parseSettings } from '../../lib/settings';
import { createWorkflowController } from '../../lib/workflow/controller';

/** Wires the workflow controller to the browser: the real fetch, clock, storage, alarms and badge. */
export function createBackgroundWorkflow(): ReturnType<typeof createWorkflowController> {
  const db = openDb();
  return createWorkflowController({
    db,
    adapters: { sample: sampleSource, feed: feedSource },
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    getSecret,
    canReach: canReach,
    alarms: browser.alarms,
    periodMinutes: async () => parseSettings((await browser.storage.local.get('settings')).settings).periodMinutes,
    setBadge: async (badge) => {
      await browser.action.setBadgeText({ text: badge?.text ?? '' });
      if (badge) await browser.action.setBadgeBackgroundColor({ color: badge.color });
    },
    keepAlive: () => browser.runtime.getPlatformInfo(),
  });
}

/** A source with a URL needs its origin's optional host permission, asked for when the user added it. */
async function canReach(source: SourceRow): Promise<boolean> {
  const url = source.config.url;
  if (typeof url !== 'string') return true;
  try {
    const origin = new URL(url).origin;
    return await browser.permissions.contains({ origins: [`${origin}/*`] });
  } catch {
    return false;
  }
}
