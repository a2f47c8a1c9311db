import { browser } from 'wxt/browser';
import { openDb, type SourceRow } from '../../lib/db/schema';
import { createAdapters } from '../../lib/sources/adapters';
import { createBackgroundFeedThread } from './feed-thread';
import { requiredOrigins } from '../../lib/sources/providers';
import { getSecret, getSecretFields } from '../../lib/sources/secrets';
import { parseSettings } from '../../lib/settings';
import { createWorkflowController } from '../../lib/workflow/controller';

/** Wires the workflow controller to the browser: the real fetch, clock, storage, alarms and badge. */
export function createBackgroundWorkflow(): ReturnType<typeof createWorkflowController> {
  const db = openDb();
  return createWorkflowController({
    db,
    adapters: createAdapters({ feedThread: createBackgroundFeedThread() }),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    getSecret,
    getSecrets: getSecretFields,
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

/** A feed or provider source needs its API origin's optional host permission, asked for when the user added it. */
async function canReach(source: SourceRow): Promise<boolean> {
  const origins = requiredOrigins(source);
  if (origins.length === 0) return true;
  try {
    return await browser.permissions.contains({ origins });
  } catch {
    return false;
  }
}
