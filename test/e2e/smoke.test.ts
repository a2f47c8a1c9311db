// Smoke: the e2e build loads in Chromium, its service worker runs, and the popup and the tracking view (options
// page) render something without errors. Deliberately generic; behaviour lives in the other e2e files.
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';

describe('smoke', () => {
  let ext: ExtensionHandle;
  const workerErrors: string[] = [];

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    ext.worker.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error') workerErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await ext?.close();
  });

  it('runs the service worker of the loaded extension', async () => {
    const worker = await ext.waitForWorker();
    expect(worker.url()).toBe(`chrome-extension://${ext.extensionId}/background.js`);
    const manifest = await ext.evalInWorker(() => chrome.runtime.getManifest(), null);
    expect(manifest.manifest_version).toBe(3);
    expect(await ext.evalInWorker(() => chrome.runtime.id, null)).toBe(ext.extensionId);
  });

  it.each([
    ['popup', '/popup.html'],
    ['options (tracking view)', '/options.html'],
  ])('renders the %s page without errors', async (_name, path) => {
    const page = await ext.openPage(path);
    // The UI may render after an async read of the store; wait for it to show something.
    await page.waitForFunction(() => (document.body?.innerText ?? '').trim().length > 0, null, { timeout: 15_000 });
    expect((await page.title()).trim()).not.toBe('');
    // Let late async work (first queries, messages to the worker) fail now rather than unseen.
    await page.waitForTimeout(500);
    expect(ext.errorsOf(page)).toEqual([]);
    await page.close();
  });

  it('logs no errors from the service worker meanwhile', () => {
    expect(workerErrors).toEqual([]);
  });
});

describe('first install', () => {
  it('opens the tracking view, whose empty state offers sample data', async () => {
    const ext = await launchExtension({ locale: 'en' });
    try {
      const deadline = Date.now() + 15_000;
      let view = ext.context.pages().find((p) => p.url().includes('/options.html'));
      while (!view && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        view = ext.context.pages().find((p) => p.url().includes('/options.html'));
      }
      expect(view, 'the tracking view opened on install').toBeDefined();
      await view!.getByRole('button', { name: 'Try with sample data' }).first().waitFor();
    } finally {
      await ext.close();
    }
  });
});
