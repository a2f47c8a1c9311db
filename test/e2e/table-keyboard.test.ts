import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinesCanvas } from '../../components/VirtualTable';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore } from './store';

/** Where the focus is: enough to tell the table's body, a link in one of its rows, the page and a probe apart. */
interface FocusAt {
  body: boolean;
  inRow: boolean;
  inTable: boolean;
  page: boolean;
  id: string;
  text: string;
}

function focusAt(page: Page): Promise<FocusAt> {
  return page.evaluate(() => {
    const el = document.activeElement ?? document.body;
    return {
      body: el.classList.contains('vtable__body'),
      inRow: el.closest('.vtable__body [role="row"]') !== null,
      inTable: el.closest('.vtable') !== null,
      page: el === document.body || el === document.documentElement,
      id: el.id,
      text: (el.textContent ?? '').trim().slice(0, 60),
    };
  });
}

/** The aria-rowindex of the row marked active, if one is drawn. */
function activeRowIndex(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const rows = document.querySelectorAll('.vtable__body .vtable__row--active');
    return rows.length === 1 ? Number(rows[0]!.getAttribute('aria-rowindex')) : rows.length === 0 ? null : -rows.length;
  });
}

/** How many lines of pixels of a screenshot (PNG) have a pixel of the accent colour (the focus ring's), read in the page. */
function linesWithRing(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const probe = document.createElement('div');
    probe.style.color = 'var(--accent)';
    document.body.append(probe);
    const [r0, g0, b0] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
    probe.remove();
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let lines = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i]! - r0!) + Math.abs(data[i + 1]! - g0!) + Math.abs(data[i + 2]! - b0!) < 40) {
          lines++;
          break;
        }
      }
    }
    return lines;
  }, png.toString('base64'));
}

/**
 * Keyboard use of the virtualised tables (components/VirtualTable.tsx) and of the deliveries list, on the sample
 * data. A reviewer found Tab walking into the reused row elements' links (skipping rows, then falling out of the
 * page) and no row cursor.
 */
describe('keyboard in the tables', () => {
  let ext: ExtensionHandle;

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
  }, 120_000);
  afterAll(async () => ext?.close());

  async function openLogs(): Promise<Page> {
    const page = await ext.openPage('/options.html#/deliveries');
    await page.setViewportSize({ width: 1280, height: 800 });
    const store = await readStore(page);
    const id = store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample:'))!.id;
    await page.goto(page.url().replace(/#.*$/, `#/deliveries/${id}/logs`));
    await page.getByRole('table', { name: /Tracking logs of/ }).waitFor();
    await page.locator('.vtable__body [role="row"] a').first().waitFor();
    return page;
  }

  it('makes the logs table one Tab stop between its header and what follows it', async () => {
    const page = await openLogs();
    // The logs view ends with the table, and past a page's last control the focus leaves the page: a probe button
    // after the view (outside Preact's root) shows where the next Tab goes.
    await page.evaluate(() => {
      const probe = document.createElement('button');
      probe.id = 'after-table';
      probe.textContent = 'After the table';
      document.body.append(probe);
    });
    // From the last filter through the export buttons and the header's sort buttons to the body.
    await page.getByLabel('URL or label contains').focus();
    const path: FocusAt[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      const at = await focusAt(page);
      path.push(at);
      if (at.body || at.inRow || at.page) break;
    }
    const last = path.at(-1)!;
    expect(last.body, JSON.stringify(path)).toBe(true);
    expect(path.at(-2)!.inTable).toBe(true); // the last sort button of the header
    expect(path.at(-2)!.text).toMatch(/^(IP|User agent)/);

    // The next Tab leaves the table: not into a row's link, not out of the page.
    await page.keyboard.press('Tab');
    const after = await focusAt(page);
    expect(after).toMatchObject({ inRow: false, inTable: false, page: false, id: 'after-table' });
    // And back: the body, then the header.
    await page.keyboard.press('Shift+Tab');
    expect((await focusAt(page)).body).toBe(true);
    await page.keyboard.press('Shift+Tab');
    expect(await focusAt(page)).toMatchObject({ body: false, inRow: false, inTable: true, text: path.at(-2)!.text });
    // No row link is in the Tab order.
    expect(await page.locator('.vtable__body a:not([tabindex="-1"])').count()).toBe(0);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('moves a row cursor with the keys, shows it while focused, and opens the recipient on Enter', async () => {
    const page = await openLogs();
    const body = page.locator('.vtable__body');
    await body.focus();
    expect(await activeRowIndex(page)).toBeNull();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    // The first press activates the first row in view (aria-rowindex 2, after the header's 1): the third is row 4.
    await expect.poll(() => activeRowIndex(page)).toBe(4);
    const marked = await page.evaluate(() => {
      const body = document.querySelector('.vtable__body')!;
      const row = body.querySelector<HTMLElement>('.vtable__row--active')!;
      return { descendant: body.getAttribute('aria-activedescendant'), id: row.id, outline: getComputedStyle(row).outlineStyle };
    });
    expect(marked.descendant).toBeTruthy();
    expect(marked.id).toBe(marked.descendant);
    expect(marked.outline).toBe('solid');
    // Chromium's accessibility tree has the row as the body's active descendant.
    const cdp = await page.context().newCDPSession(page);
    const { root } = (await cdp.send('DOM.getDocument', { depth: 0 })) as { root: { nodeId: number } };
    const { nodeId } = (await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.vtable__body' })) as { nodeId: number };
    const { nodes } = (await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false })) as {
      nodes: { role?: { value: string }; properties?: { name: string; value: { relatedNodes?: { idref?: string }[] } }[] }[];
    };
    const property = nodes[0]!.properties?.find((p) => p.name === 'activedescendant');
    expect(property?.value.relatedNodes?.[0]?.idref).toBe(marked.id);
    await cdp.detach();

    // The body's focus ring is drawn around the table, above the rows: along the table's right edge low down, away
    // from the active row, every line of pixels has some of the ring's colour. (Drawn on the body itself, the ring was
    // under the rows: only the unstriped rows' edges showed a bit of it.)
    const box = (await page.locator('.vtable').boundingBox())!;
    const edge = { x: box.x + box.width - 8, y: box.y + box.height - 120, width: 12, height: 100 };
    expect(await linesWithRing(page, await page.screenshot({ clip: edge }))).toBe(100);

    // The mark shows only while the body has focus.
    await page.getByRole('button', { name: 'Export CSV' }).focus();
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.vtable__row--active')!).outlineStyle)).toBe('none');
    expect(await linesWithRing(page, await page.screenshot({ clip: edge }))).toBe(0);
    await body.focus();
    expect(await activeRowIndex(page)).toBe(4);
    expect(await linesWithRing(page, await page.screenshot({ clip: edge }))).toBe(100);

    // End: the last row, the body scrolled to the bottom.
    const rowCount = Number(await page.getByRole('table', { name: /Tracking logs of/ }).getAttribute('aria-rowcount'));
    expect(rowCount).toBeGreaterThan(100);
    await page.keyboard.press('End');
    await expect.poll(() => activeRowIndex(page)).toBe(rowCount);
    await expect
      .poll(() => page.evaluate(() => { const b = document.querySelector('.vtable__body')!; return b.scrollHeight - b.clientHeight - b.scrollTop; }))
      .toBeLessThanOrEqual(1);
    await page.keyboard.press('Home');
    await expect.poll(() => activeRowIndex(page)).toBe(2);
    expect(await body.evaluate((b) => b.scrollTop)).toBe(0);
    await page.keyboard.press('PageDown');
    await expect.poll(() => activeRowIndex(page)).toBeGreaterThan(10);

    // Enter opens the active row's recipient, in the view.
    const link = await page.evaluate(() => {
      const a = document.querySelector<HTMLAnchorElement>('.vtable__body .vtable__row--active a')!;
      return { href: a.getAttribute('href')!, text: a.getAttribute('aria-label')! };
    });
    expect(link.href).toMatch(/^#\/recipients\/\d+$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction((href) => location.hash === href, link.href);
    await page.getByRole('heading', { name: link.text }).waitFor();
    await page.getByRole('table', { name: /Tracked events of/ }).waitFor();

    // The recipient's table has the same cursor: Enter on its first row opens that delivery's logs.
    const rcpBody = page.locator('.vtable__body');
    await rcpBody.locator('[role="row"] a').first().waitFor();
    await rcpBody.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeRowIndex(page)).toBe(2);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^#\/deliveries\/\d+\/logs\?/.test(location.hash));
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('stripes every other row, in step with the rows wherever the table is scrolled', async () => {
    const page = await openLogs();
    // The rows stand in flow in one block moved to the first drawn row's place; every other row element is striped.
    // Each drawn row: its row and its background colour, read by the browser; and the block's place.
    const layout = (): Promise<{ first: number; tops: number[]; step: number; transform: string; rows: [number, string][]; hiddenBefore: number }> =>
      page.evaluate(() => {
        const block = document.querySelector<HTMLElement>('.vtable__rows')!;
        const rows = [...block.querySelectorAll<HTMLElement>('.vtable__row:not([hidden])')];
        const top = block.getBoundingClientRect().top;
        return {
          first: Number(rows[0]!.getAttribute('aria-rowindex')) - 2,
          tops: rows.map((r) => Math.round(r.getBoundingClientRect().top - top)),
          step: rows[1]!.getBoundingClientRect().height,
          transform: block.style.transform,
          rows: rows.map((r) => [Number(r.getAttribute('aria-rowindex')) - 2, getComputedStyle(r).backgroundColor] as [number, string]),
          hiddenBefore: [...block.children].indexOf(rows[0]!),
        };
      });
    const scrollTo = (y: number): Promise<void> =>
      page.evaluate((top) => {
        const body = document.querySelector<HTMLElement>('.vtable__body')!;
        body.scrollTop = top;
        body.dispatchEvent(new Event('scroll'));
      }, y);
    // A jump and what it drew, read in the same task: no frame has begun, so the rows around the view still wait.
    const jumpAndRead = (y: number): Promise<{ first: number; rows: [number, string][]; hiddenBefore: number }> =>
      page.evaluate((top) => {
        const body = document.querySelector<HTMLElement>('.vtable__body')!;
        body.scrollTop = top;
        body.dispatchEvent(new Event('scroll'));
        const block = body.querySelector<HTMLElement>('.vtable__rows')!;
        const rows = [...block.querySelectorAll<HTMLElement>('.vtable__row:not([hidden])')];
        return {
          first: Number(rows[0]!.getAttribute('aria-rowindex')) - 2,
          rows: rows.map((r) => [Number(r.getAttribute('aria-rowindex')) - 2, getComputedStyle(r).backgroundColor] as [number, string]),
          hiddenBefore: [...block.children].indexOf(rows[0]!),
        };
      }, y);
    const clear = 'rgba(0, 0, 0, 0)';
    const oddRowsStriped = (rows: [number, string][]): void => {
      const stripe = rows.find(([row]) => row % 2 === 1)![1];
      expect(stripe).not.toBe(clear);
      expect(rows.map(([row, bg]) => [row, bg === stripe ? 'striped' : bg === clear ? 'clear' : bg])).toEqual(rows.map(([row]) => [row, row % 2 === 1 ? 'striped' : 'clear']));
    };
    for (const rows of [0, 7, 12, 40, 3]) {
      await scrollTo(rows * 30);
      await page.waitForTimeout(100);
      const l = await layout();
      expect(l.tops).toEqual(l.tops.map((_, k) => k * l.step));
      expect(l.transform).toBe(`translateY(${l.first * l.step}px)`);
      oddRowsStriped(l.rows);
    }
    // Read within the jump's task, before the rows around it are drawn: the row elements before the first drawn are
    // hidden (three of them on a jump to row 3, where the drawn rows start at row 0), and the striping still follows
    // the rows.
    for (const [rows, hidden] of [
      [3, 3],
      [40, 4],
      [2, 2],
      [41, 4],
    ] as const) {
      await scrollTo(400 * 30);
      await page.waitForTimeout(100);
      const l = await jumpAndRead(rows * 30);
      expect(l.first).toBe(rows);
      expect(l.hiddenBefore).toBe(hidden);
      oddRowsStriped(l.rows);
    }
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('draws the rows in view at once on a jump, and the rows around them once the scroll has rested', async () => {
    const page = await openLogs();
    const r = await page.evaluate(async () => {
      const body = document.querySelector<HTMLElement>('.vtable__body')!;
      const rows = Number(document.querySelector('.vtable')!.getAttribute('aria-rowcount')) - 1;
      // A cell's text: its name (plain and link columns, whose text the columns' lines draw) or its own (tags).
      const cellText = (c: Element): string => (c.querySelector('a') ?? c).getAttribute('aria-label') ?? c.textContent ?? '';
      const drawn = (): { index: number; top: number; bottom: number; text: string; date: string }[] =>
        [...body.querySelectorAll<HTMLElement>('.vtable__row:not([hidden])')].map((row) => {
          const box = row.getBoundingClientRect();
          const text = [...row.children].map(cellText).join(' ').trim();
          return { index: Number(row.getAttribute('aria-rowindex')) - 2, top: box.top, bottom: box.bottom, text, date: cellText(row.children[0]!) };
        });
      // The first column's lines, drawn on the canvas over the rows: each line's text (as the canvas keeps it) and
      // where its ink is (the canvas's pixels in the column, line by line), or nothing where a line has none.
      const lines = (): { text: string; top: number; bottom: number }[] => {
        const canvas = document.querySelector<LinesCanvas>('.vtable__canvas')!;
        const box = canvas.getBoundingClientRect();
        const ratio = canvas.width / box.width;
        const col = document.querySelector('.vtable__lines')!.children[0]!.getBoundingClientRect();
        const ctx = canvas.getContext('2d')!;
        return [...(canvas.drawnLines?.[0] ?? [])].map((text, k) => {
          const w = Math.round(col.width * ratio);
          const h = Math.round(30 * ratio);
          const px = ctx.getImageData(Math.round((col.left - box.left) * ratio), Math.round(k * 30 * ratio), w, h).data;
          let first = -1;
          let last = -1;
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              if (px[(y * w + x) * 4 + 3]! > 0) {
                if (first < 0) first = y;
                last = y;
                break;
              }
            }
          }
          const top = box.top + k * 30;
          return first < 0 ? { text, top: NaN, bottom: NaN } : { text, top: top + first / ratio, bottom: top + (last + 1) / ratio };
        });
      };
      const view = body.getBoundingClientRect();
      const inView = (d: { top: number; bottom: number }): boolean => d.bottom > view.top + 1 && d.top < view.top + body.clientHeight - 1;
      const frame = (): Promise<number> => new Promise((done) => requestAnimationFrame(done));
      // Rested a quarter of the way down (rows drawn on both sides), then a jump to three quarters: measured before
      // any frame.
      body.scrollTop = Math.floor(rows / 4) * 30;
      body.dispatchEvent(new Event('scroll'));
      await frame();
      await frame();
      await frame();
      const rested = drawn().length;
      body.scrollTop = Math.floor((rows * 3) / 4) * 30;
      body.dispatchEvent(new Event('scroll'));
      await Promise.resolve();
      const atOnce = drawn();
      const atOnceLines = lines();
      await frame();
      await frame();
      await frame();
      const later = drawn();
      const laterLines = lines();
      return { rows, rested, atOnce, atOnceLines, atOnceInView: atOnce.filter(inView).length, later, laterLines, laterInView: later.filter(inView).length };
    });
    expect(r.rows).toBeGreaterThan(100);
    // At once: only rows in view, each of them drawn, in order, with text.
    expect(r.atOnce.length).toBeGreaterThan(5);
    expect(r.atOnceInView).toBe(r.atOnce.length);
    expect(r.atOnce.map((d) => d.index)).toEqual(r.atOnce.map((_, k) => r.atOnce[0]!.index + k));
    expect(r.atOnce.every((d) => d.text.length > 0)).toBe(true);
    // The first column's lines show the drawn rows' dates, each line's ink within its row's box, in the jump's own
    // task and at rest.
    for (const [rows, lines] of [[r.atOnce, r.atOnceLines], [r.later, r.laterLines]] as const) {
      expect(lines.map((l) => l.text)).toEqual(rows.map((d) => d.date));
      for (const [k, l] of lines.entries()) {
        expect(l.top, `line ${k}`).toBeGreaterThanOrEqual(rows[k]!.top - 0.5);
        expect(l.bottom, `line ${k}`).toBeLessThanOrEqual(rows[k]!.bottom + 0.5);
      }
    }
    // Rested: the same rows in view, and as many rows drawn as at the first rest, around them, out of sight.
    expect(r.laterInView).toBe(r.atOnce.length);
    expect(r.later.length).toBe(r.rested);
    expect(r.later.length).toBeGreaterThan(r.atOnce.length);
    expect(r.later.map((d) => d.index)).toEqual(r.later.map((_, k) => r.later[0]!.index + k));
    expect(r.later[0]!.index).toBeLessThan(r.atOnce[0]!.index);
    expect(r.later.at(-1)!.index).toBeGreaterThan(r.atOnce.at(-1)!.index);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('titles the cell under the pointer and the active row’s cells, and no other', async () => {
    const page = await openLogs();
    const titled = (): Promise<{ row: number; title: string }[]> =>
      page.evaluate(() =>
        [...document.querySelectorAll('.vtable__body [role="cell"][title]')].map((c) => ({
          row: Number(c.closest('[role="row"]')!.getAttribute('aria-rowindex')),
          title: c.getAttribute('title')!,
        })),
      );
    expect(await titled()).toEqual([]);
    // The real pointer over the third row's user agent, then over its recipient.
    const row = page.locator('.vtable__body [role="row"]').nth(2);
    const index = Number(await row.getAttribute('aria-rowindex'));
    // What a cell says: its name, or its link's (the columns' lines draw the text).
    const said = (cell: Locator): Promise<string> => cell.evaluate((c) => (c.querySelector('a') ?? c).getAttribute('aria-label') ?? '');
    const ua = row.locator('[role="cell"]').nth(6);
    await ua.hover();
    expect(await titled()).toEqual([{ row: index, title: await said(ua) }]);
    await row.locator('[role="cell"]').nth(2).hover();
    expect(await titled()).toEqual([{ row: index, title: await said(row.locator('[role="cell"]').nth(2)) }]);
    // Away from the table: none. The row cursor on the first row: its cells that have a title take it.
    await page.mouse.move(5, 5);
    expect(await titled()).toEqual([]);
    await page.locator('.vtable__body').focus();
    await page.keyboard.press('ArrowDown');
    const active = await activeRowIndex(page);
    const titles = await titled();
    expect(titles.length).toBeGreaterThanOrEqual(3);
    expect(titles.every((t) => t.row === active)).toBe(true);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('lets the keyboard scroll the deliveries list sideways in a narrow window', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    await page.setViewportSize({ width: 900, height: 800 });
    const region = page.getByRole('region', { name: 'Deliveries table (scrolls sideways)' });
    await region.locator('tbody tr').first().waitFor();
    const overflow = await region.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeGreaterThan(100);
    // From the search field, Tab reaches the scrolling wrapper, and the arrow keys scroll it.
    await page.getByRole('searchbox').focus();
    await page.keyboard.press('Tab');
    expect(await region.evaluate((el) => el === document.activeElement)).toBe(true);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await page.keyboard.press('ArrowLeft');
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
