import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore } from './store';

/** axe-core (Deque's accessibility rules engine), evaluated in the page: the extension's CSP allows no script tag. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Finding {
  rule: string;
  impact: string | null;
  help: string;
  where: string[];
}

/** The page's accessibility violations (WCAG 2.x A and AA rules and axe's best practices), and how many rules passed. */
async function violations(page: Page): Promise<{ found: Finding[]; passed: number }> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Result = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return {
      found: r.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })),
      passed: r.passes.length,
    };
  });
}

/** Every view on sample data, with axe-core: no violation, in English on a light page and in Swedish on a dark one. */
for (const { locale, scheme, tryLabel } of [
  { locale: 'en', scheme: 'light', tryLabel: 'Try with sample data' },
  { locale: 'sv', scheme: 'dark', tryLabel: 'Prova med exempeldata' },
] as const) {
  describe(`accessibility rules (axe-core), ${locale}, ${scheme}`, () => {
    let ext: ExtensionHandle;
    let page: Page;
    let tracked: number;
    let untracked: number;

    beforeAll(async () => {
      ext = await launchExtension({ locale });
      const popup = await ext.openPage('/popup.html');
      await popup.getByRole('button', { name: tryLabel }).click();
      await popup.locator('.health-badge[data-state="healthy"]').first().waitFor({ timeout: 90_000 });
      await popup.close();
      page = await ext.openPage('/options.html#/deliveries');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      const store = await readStore(page);
      tracked = store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample:'))!.id;
      untracked = store.deliveries.find((d) => !d.trackingEnabled)!.id;
    }, 120_000);
    afterAll(async () => ext?.close());

    const views: [string, () => string][] = [
      ['deliveries', () => '#/deliveries'],
      ['statistics', () => `#/deliveries/${tracked}/stats`],
      ['URLs and click streams', () => `#/deliveries/${tracked}/urls`],
      ['hot clicks', () => `#/deliveries/${tracked}/hotclicks`],
      ['tracking logs', () => `#/deliveries/${tracked}/logs`],
      ['a delivery without tracking', () => `#/deliveries/${untracked}`],
      ['recipients', () => '#/recipients'],
      ['a recipient', () => '#/recipients/1'],
      ['sources', () => '#/sources'],
      ['a new source', () => '#/sources/new'],
      ['workflow', () => '#/workflow'],
      ['settings', () => '#/settings'],
      ['file import', () => '#/import'],
    ];
    for (const [name, hash] of views) {
      it(`has no violation in ${name}`, async () => {
        await page.goto(page.url().replace(/#.*$/, hash()));
        await page.reload();
        await page.locator('main h1').first().waitFor();
        await page.waitForTimeout(800); // live reads and charts settle
        const { found, passed } = await violations(page);
        expect(passed).toBeGreaterThan(20);
        expect(found).toEqual([]);
      });
    }

    it('has no violation in the popup', async () => {
      const popup = await ext.openPage('/popup.html');
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.locator('.health-badge[data-state="healthy"]').first().waitFor();
      const { found, passed } = await violations(popup);
      expect(passed).toBeGreaterThan(20);
      expect(found).toEqual([]);
    });
  });
}
