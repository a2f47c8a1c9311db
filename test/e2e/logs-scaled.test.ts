import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_HEIGHT } from '../../components/VirtualTable';
import { makeDataset, startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { addFeedSource, runOnce } from '../bench/store';
import { launchExtension, type ExtensionHandle } from './harness';

/** More events than Chromium lays out rows of 30 px for (a box is at most 33 554 432 px: ~1.12 M rows). */
const EVENTS = 1_200_000;
const LAYOUT_LIMIT_PX = 33_554_432;

/** In the page: the drawn rows in the body's view (their aria-rowindex, top and bottom relative to the view). */
const rowsInView = (): { index: number; top: number; bottom: number }[] => {
  const body = document.querySelector('.vtable__body')!;
  const view = body.getBoundingClientRect();
  const out: { index: number; top: number; bottom: number }[] = [];
  for (const row of Array.from(body.querySelectorAll<HTMLElement>('.vtable__row'))) {
    if (row.hidden) continue;
    const r = row.getBoundingClientRect();
    if (r.bottom <= view.top || r.top >= view.bottom) continue;
    out.push({ index: Number(row.getAttribute('aria-rowindex')), top: r.top - view.top, bottom: r.bottom - view.top });
  }
  return out.sort((a, b) => a.index - b.index);
};

/**
 * The logs table of a delivery with 1.2 M events (components/scaled-scroll.ts): more rows than a browser lays out, so
 * the scrolling space is held below the limit and scaled. Without that, rows past ~1.12 M could not be scrolled to.
 */
describe('tracking logs of a delivery with more events than a browser lays out rows for', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  let page: Page;

  beforeAll(async () => {
    const dataset = makeDataset({ deliveries: 1, recipients: 20_000, events: EVENTS, seed: 41, html: false });
    server = await startFeedServer({ dataset });
    ext = await launchExtension({ locale: 'en' });
    page = await ext.openPage('/options.html#/workflow');
    await page.evaluate(addFeedSource, { id: 'scaled-feed', url: server.url('/feed') });
    const run = await runOnce(page, 4);
    expect(run.status).toBe('ok');
    expect(run.sources.find((x) => x.sourceId === 'scaled-feed')?.stored).toBe(EVENTS);
    // The delivery from the list, as a user opens it; then its Tracking logs tab.
    await page.goto(page.url().replace(/#.*$/, '#/deliveries'));
    const href = await page.getByRole('link', { name: dataset.deliveries[0]!.label, exact: true }).getAttribute('href');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(page.url().replace(/#.*$/, `${href}/logs`));
    await page.locator(`.vtable[aria-rowcount="${EVENTS + 1}"]`).waitFor({ timeout: 60_000 });
  }, 300_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  /** Waits for the rows in view to settle where `check` says, and returns them. */
  async function settled(check: (rows: { index: number; top: number; bottom: number }[]) => boolean): Promise<{ index: number; top: number; bottom: number }[]> {
    let rows: { index: number; top: number; bottom: number }[] = [];
    await expect
      .poll(async () => {
        rows = await page.evaluate(rowsInView);
        return check(rows);
      }, { timeout: 10_000 })
      .toBe(true);
    return rows;
  }

  /** Rows in view are consecutive, a row high each, one under the other, from the top of the view. */
  function expectContiguous(rows: { index: number; top: number; bottom: number }[]): void {
    expect(rows.length).toBeGreaterThan(5);
    expect(rows[0]!.top).toBeLessThanOrEqual(0);
    expect(rows[0]!.bottom).toBeGreaterThan(0);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.index).toBe(rows[i - 1]!.index + 1);
      expect(rows[i]!.top).toBeCloseTo(rows[i - 1]!.bottom, 0);
      expect(rows[i]!.bottom - rows[i]!.top).toBeCloseTo(ROW_HEIGHT, 0);
    }
  }

  it('keeps the scrolling space within what the browser lays out', async () => {
    const body = page.locator('.vtable__body');
    expect(await body.getAttribute('class')).toContain('vtable__body--scaled');
    const { scrollHeight, clientHeight } = await body.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    expect(scrollHeight).toBeLessThan(LAYOUT_LIMIT_PX);
    expect(scrollHeight).toBeGreaterThan(clientHeight);
    expectContiguous(await settled((rows) => rows[0]?.index === 2));
  });

  it('reaches the last event with End, and steps back from it with the arrows', async () => {
    const body = page.locator('.vtable__body');
    await body.focus();
    await page.keyboard.press('End');
    // aria-rowindex counts the header row: the last of EVENTS rows is EVENTS + 1.
    const rows = await settled((r) => r.at(-1)?.index === EVENTS + 1);
    expectContiguous(rows);
    const viewHeight = await body.evaluate((el) => el.clientHeight);
    expect(rows.at(-1)!.bottom).toBeLessThanOrEqual(viewHeight + 1);
    const active = page.locator('.vtable__row--active');
    expect(await active.getAttribute('aria-rowindex')).toBe(String(EVENTS + 1));
    // Its text is drawn (the cells name it for assistive technology).
    expect((await active.locator('.vtable__cell').first().getAttribute('aria-label')) ?? '').not.toBe('');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowUp');
    expect(await active.getAttribute('aria-rowindex')).toBe(String(EVENTS + 1 - 40));
    const after = await settled((r) => r.some((x) => x.index === EVENTS + 1 - 40));
    expectContiguous(after);
    const shown = after.find((x) => x.index === EVENTS + 1 - 40)!;
    expect(shown.top).toBeGreaterThanOrEqual(-1);
  });

  it('maps the scrollbar onto every row: half way down shows the middle rows', async () => {
    await page.locator('.vtable__body').evaluate((el) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
    });
    const rows = await settled((r) => r.length > 5 && Math.abs(r[0]!.index - EVENTS / 2) < EVENTS / 100);
    expectContiguous(rows);
    // A small scroll moves the rows proportionally (the scale is ~1.1 rows of the list per px here).
    const before = rows[0]!.index;
    await page.locator('.vtable__body').evaluate((el) => {
      el.scrollTop += 300;
    });
    const moved = await settled((r) => r.length > 5 && r[0]!.index > before + 5);
    expectContiguous(moved);
    expect(moved[0]!.index - before).toBeLessThan(30);
  });

  it('goes back to the first event with Home, with no page error', async () => {
    await page.locator('.vtable__body').focus();
    await page.keyboard.press('Home');
    expectContiguous(await settled((r) => r[0]?.index === 2 && r[0].top > -1));
    expect(await page.locator('.vtable__body').evaluate((el) => el.scrollTop)).toBe(0);
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
