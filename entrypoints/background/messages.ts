import { browser } from 'wxt/browser';
import { onMessage, type TestConnectionResult } from '../../lib/messaging';
import { isExtensionPage, MessageRejected, parseMessage } from '../../lib/messaging-guard';
import { createAdapters } from '../../lib/sources/adapters';
import { SourceError } from '../../lib/sources/source';
import { testSource } from '../../lib/workflow/run';
import type { createBackgroundWorkflow } from './workflow';

type Workflow = ReturnType<typeof createBackgroundWorkflow>;

/** Message handlers: check the sender, validate the data, call lib/. */
export function registerMessageHandlers(workflow: Workflow): void {
  const origin = browser.runtime.getURL('/');
  const trusted = (sender: { id?: string; url?: string }): void => {
    if (!isExtensionPage(sender, browser.runtime.id, origin)) throw new MessageRejected('sender not allowed');
  };

  onMessage('runNow', async ({ data, sender }) => {
    trusted(sender);
    parseMessage('runNow', data);
    return workflow.start('manual');
  });

  onMessage('sourcesChanged', async ({ data, sender }) => {
    trusted(sender);
    parseMessage('sourcesChanged', data);
    await workflow.start('manual');
  });

  onMessage('settingsChanged', async ({ data, sender }) => {
    trusted(sender);
    parseMessage('settingsChanged', data);
    await workflow.ensureAlarm();
    await workflow.refreshBadge();
  });

  // A test answers within seconds or says why: no long retry ladder as in a real run.
  const testAdapters = createAdapters({ retries: 0, timeoutMs: 15_000 });

  onMessage('testConnection', async ({ data, sender }): Promise<TestConnectionResult> => {
    trusted(sender);
    const input = parseMessage('testConnection', data);
    try {
      const found = await testSource(testAdapters[input.kind], {
        config: input.config,
        secret: input.secret ?? (input.secrets ? Object.values(input.secrets)[0] : undefined),
        secrets: input.secrets,
        fetch: (i, init) => fetch(i, init),
        signal: AbortSignal.timeout(60_000),
        now: () => Date.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
      return { ok: true, ...found };
    } catch (error) {
      const issue =
        error instanceof SourceError
          ? { level: 'error' as const, code: error.code as never, params: error.params, at: Date.now() }
          : { level: 'error' as const, code: 'internal' as const, params: { message: String(error).slice(0, 300) }, at: Date.now() };
      return { ok: false, deliveries: 0, urls: 0, events: 0, rejected: 0, issue };
    }
  });
}
