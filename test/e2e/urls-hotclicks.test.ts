import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, FeedServer } from '../fixtures/feed-server';
import { startFeedServer } from '../fixtures/feed-server';
import { canvasTexts, recordCanvasText } from './canvas-text';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore, waitForStore } from './store';

/**
 * The "URLs and click streams" and "Hot clicks" tabs on the sample data in real Chromium: numbers equal to the
 * delivery's aggregate, badges on the email, and not one request to the tracking host (a preview must never count as
 * an open or a click); then a hostile delivery from the feed fixture executes nothing and navigates nowhere.
 */

interface LinkTruth {
  urls: { id: number; type: number; label?: string; url: string; occurrence?: number }[];
  counts: Record<number, number>;
  clickers: Record<number, number>;
}

/** The delivery's tracked URLs and per-link counts straight from IndexedDB (no extension code involved). */
const readLinkTruth = async (deliveryId: number): Promise<LinkTruth> => {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('tracking-logs');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const get = <T,>(store: string, key: IDBValidKey): Promise<T> =>
    new Promise((resolve, reject) => {
      const req = db.transaction(store).objectStore(store).get(key);
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error);
    });
  const urls = await new Promise<LinkTruth['urls']>((resolve, reject) => {
    const req = db.transaction('urls').objectStore('urls').index('deliveryId').getAll(deliveryId);
    req.onsuccess = () => resolve(req.result as LinkTruth['urls']);
    req.onerror = () => reject(req.error);
  });
  const agg = await get<{ linkIds: Uint32Array; linkCounts: Uint32Array; linkClickers: Float64Array }>('aggregates', deliveryId);
  const counts: Record<number, number> = {};
  agg.linkIds.forEach((id, i) => (counts[id] = agg.linkCounts[i]!));
  const clickers: Record<number, number> = {};
  for (const p of agg.linkClickers) {
    const u = Math.floor(p / 2 ** 32);
    clickers[u] = (clickers[u] ?? 0) + 1;
  }
  db.close();
  return { urls, counts, clickers };
};

const CLICK_TYPES = new Set([1, 3, 6]);

function watchRequests(ext: ExtensionHandle): { urls: string[] } {
  const seen = { urls: [] as string[] };
  ext.context.on('request', (r: Request) => seen.urls.push(r.url()));
  return seen;
}

describe('URLs and hot clicks on sample data', () => {
  let ext: ExtensionHandle;
  let requests: { urls: string[] };
  let deliveryId: number;
  let truth: LinkTruth;

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
    await recordCanvasText(ext.context);
    requests = watchRequests(ext);
    // Anything for the sample tracking host would be a counted open or click in real life: refuse and remember it.
    await ext.context.route(/tracking-logs\.invalid/, (route) => route.abort());
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Try with sample data' }).click();
    await popup.getByText('Healthy', { exact: true }).first().waitFor({ timeout: 90_000 });
    const store = await waitForStore(() => popup, (s) => s.runs.at(-1)?.status === 'ok');
    const newsletter = store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample: Newsletter'));
    expect(newsletter).toBeDefined();
    deliveryId = newsletter!.id;
    truth = await popup.evaluate(readLinkTruth, deliveryId);
    await popup.close();
  });
  afterAll(async () => ext?.close());

  it('lists every link with the aggregate’s clicks, shares and clickers, and regroups by label', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${deliveryId}/urls`);
    const rows = page.locator('table.urls-table tbody tr');
    await rows.first().waitFor();
    const listed = truth.urls.filter((u) => u.type !== 2);
    expect(await rows.count()).toBe(listed.length);
    const total = listed.filter((u) => CLICK_TYPES.has(u.type)).reduce((s, u) => s + (truth.counts[u.id] ?? 0), 0);
    expect(total).toBeGreaterThan(0);
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        ids: (tr.getAttribute('data-url-ids') ?? '').split(',').map(Number),
        clicks: Number(tr.querySelector('[data-col="clicks"]')!.textContent!.replace(/\D/g, '')),
        clickers: Number(tr.querySelector('[data-col="clickers"]')!.textContent!.replace(/\D/g, '')),
        share: tr.querySelector('[data-col="share"]')!.textContent!,
      })),
    );
    for (const c of cells) {
      expect(c.ids).toHaveLength(1);
      expect(c.clicks).toBe(truth.counts[c.ids[0]!] ?? 0);
      expect(c.clickers).toBe(truth.clickers[c.ids[0]!] ?? 0);
      const pct = ((truth.counts[c.ids[0]!] ?? 0) / total) * 100;
      expect(Number(c.share.replace('%', '').trim())).toBeCloseTo(pct, 1);
    }
    expect(Number((await page.locator('[data-col="total-clicks"]').textContent())!.replace(/\D/g, ''))).toBe(total);

    // By label: "Two labels with the same name will be added together".
    await page.getByText('By label', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('by=label'));
    const labels = new Set(listed.map((u) => u.label || u.url));
    await page.waitForFunction((n) => document.querySelectorAll('table.urls-table tbody tr').length === n, labels.size);
    const grouped = await rows.evaluateAll((trs) =>
      trs.map((tr) => Number(tr.querySelector('[data-col="clicks"]')!.textContent!.replace(/\D/g, ''))),
    );
    expect(grouped.reduce((s, n) => s + n, 0)).toBe(listed.reduce((s, u) => s + (truth.counts[u.id] ?? 0), 0));

    // First 6 hours: fewer (or as many) clicks, and the hash keeps the window.
    await page.getByText('First 6 hours', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('window=6h'));
    // The chart (uPlot canvas), the click streams and the frequent paths are drawn.
    await page.locator('.clicks-chart canvas').first().waitFor();
    await page.locator('ol.streams > li').first().waitFor();
    await page.locator('table.urls-paths tbody tr').first().waitFor();
    // Reload keeps the view.
    await page.reload();
    await page.locator('table.urls-table tbody tr').first().waitFor();
    expect(await page.locator('input[name="urls-window"][value="6h"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="urls-by"][value="label"]').isChecked()).toBe(true);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('counts humans only on request: the machines’ clicks leave every link, kept in the hash', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${deliveryId}/urls`);
    const rows = page.locator('table.urls-table tbody tr');
    await rows.first().waitFor();
    const perLink = (): Promise<Record<string, number>> =>
      rows.evaluateAll((trs) =>
        Object.fromEntries(
          trs.map((tr) => [tr.getAttribute('data-url-ids'), Number(tr.querySelector('[data-col="clicks"]')!.textContent!.replace(/\D/g, ''))]),
        ),
      );
    const totalClicks = async (): Promise<number> => Number((await page.locator('[data-col="total-clicks"]').textContent())!.replace(/\D/g, ''));
    const all = await perLink();
    const allTotal = await totalClicks();

    await page.getByText('Humans only', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('who=human'));
    // The sample's link scanner clicked every link and its bots clicked some: fewer clicks in all, none more anywhere.
    await expect.poll(totalClicks).toBeLessThan(allTotal);
    const human = await perLink();
    expect(Object.keys(human).sort()).toEqual(Object.keys(all).sort());
    for (const [ids, n] of Object.entries(human)) expect(n).toBeLessThanOrEqual(all[ids]!);
    await page.locator('ol.streams > li').first().waitFor();
    await page.reload();
    await rows.first().waitFor();
    expect(await page.locator('input[name="urls-who"][value="human"]').isChecked()).toBe(true);
    await expect.poll(totalClicks).toBeLessThan(allTotal);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('draws clicks over time like the statistics charts, each line named as the display mode names its row', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${deliveryId}/urls?by=category`);
    await page.getByRole('checkbox', { name: 'Show “hero” on the chart' }).check();
    await page.waitForFunction(() => location.hash.includes('sel='));
    const chart = page.locator('.clicks-chart');
    await chart.locator('canvas').first().waitFor();
    // The category, not the label of its first link ("Hero image").
    const labels = await chart.locator('.u-legend .u-label').allInnerTexts();
    expect(labels.slice(1).map((l) => l.replace(/:$/, ''))).toEqual(['All links', 'hero']);
    expect(await chart.locator('.u-legend').innerText()).toMatch(/All links:?\s*[\d,]+ in total/);
    expect(await chart.locator('figcaption').innerText()).toMatch(/^Clicks per (hour|day)$/);
    const drawn = (await canvasTexts(page, '.clicks-chart canvas'))[0]!.texts.map((d) => d.text);
    expect(drawn.some((s) => /^Time \(.+\)$/.test(s))).toBe(true);
    expect(drawn).toContain('Clicks');
    // No uPlot defaults: "12am", "10/22/26".
    expect(drawn.filter((s) => /\d(am|pm)$|\d+\/\d+\/\d+/.test(s))).toEqual([]);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('draws a badge per link on the email and never requests the pixel or a tracked redirect', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${deliveryId}/hotclicks`);
    const badges = page.locator('.hot-badge');
    await badges.first().waitFor();
    const drawn = truth.urls.filter((u) => u.type === 1);
    const total = truth.urls.filter((u) => CLICK_TYPES.has(u.type)).reduce((s, u) => s + (truth.counts[u.id] ?? 0), 0);
    expect(await badges.count()).toBe(drawn.length);
    const shown = await badges.evaluateAll((els) =>
      els.map((el) => ({ id: Number(el.getAttribute('data-url-id')), text: el.textContent!, title: el.getAttribute('title')! })),
    );
    for (const b of shown) {
      const pct = ((truth.counts[b.id] ?? 0) / total) * 100;
      expect(Number(b.text.replace('%', '').trim())).toBeCloseTo(pct, 1);
      expect(b.title).toContain(`${truth.counts[b.id] ?? 0} clicks`);
    }
    expect(Number((await page.locator('[data-total="clicks"]').textContent())!.replace(/\D/g, ''))).toBe(total);

    // No badge covers another, and none covers its own link's text: each ends above the middle of its link's first
    // line box (a badge is lifted above its link; only at the very top of the email is it pushed down onto it).
    const placed = await page.evaluate(() => {
      const frameEl = document.querySelector<HTMLIFrameElement>('.hot-stage iframe')!;
      const top = frameEl.getBoundingClientRect().top;
      return [...document.querySelectorAll<HTMLElement>('.hot-badge')].map((el) => {
        const a = frameEl.contentDocument!.querySelector(`[data-tl-link="${el.dataset.anchor}"]`)!;
        const line = [...a.getClientRects()].find((x) => x.width * x.height > 0)!;
        const r = el.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, linkMiddle: top + line.top + line.height / 2, atTop: r.top - top < 0.5 };
      });
    });
    for (let i = 0; i < placed.length; i++) {
      const a = placed[i]!;
      if (!a.atTop) expect(a.bottom, `badge ${i} covers its link`).toBeLessThanOrEqual(a.linkMiddle);
      for (let j = i + 1; j < placed.length; j++) {
        const b = placed[j]!;
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `badges ${i} and ${j} overlap`).toBe(false);
      }
    }

    // The frame: sandboxed without scripts; its links go nowhere.
    const frameEl = page.locator('.hot-stage iframe');
    expect(await frameEl.getAttribute('sandbox')).toBe('allow-same-origin');
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.locator('a[href]').count()).toBe(0);
    await frame.locator('a[data-tl-link]').first().click();
    await page.waitForTimeout(300);
    expect(page.url()).toContain(`#/deliveries/${deliveryId}/hotclicks`);
    expect(frame.url()).toBe('about:blank');
    // The keyboard goes from the controls to the badges: the frame, with nothing to focus in it, is no Tab stop
    // (focus would vanish into it, twice: the frame, then its document).
    await page.getByText('Desktop', { exact: true }).click();
    const stops: string[] = [];
    for (let i = 0; i < 4 && !stops.includes('badge'); i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => (document.activeElement?.classList.contains('hot-badge') ? 'badge' : document.activeElement!.tagName)));
    }
    expect(stops).not.toContain('IFRAME');
    expect(stops.at(-1)).toBe('badge');

    // Merged by URL: the two links of a product (image and "Shop now") show their sum, in the hash.
    await page.getByText('By URL', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('merge=url'));
    const byUrl = new Map<string, number>();
    for (const u of drawn) byUrl.set(u.url, (byUrl.get(u.url) ?? 0) + (truth.counts[u.id] ?? 0));
    await page.waitForFunction(() => document.querySelector('.hot-badge[title*="added together"]') !== null);
    const merged = await badges.evaluateAll((els) => els.map((el) => ({ id: Number(el.getAttribute('data-url-id')), text: el.textContent! })));
    for (const b of merged) {
      const u = drawn.find((x) => x.id === b.id)!;
      expect(Number(b.text.replace('%', '').trim())).toBeCloseTo((byUrl.get(u.url)! / total) * 100, 1);
    }
    await page.getByText('Each link', { exact: true }).click();
    await page.waitForFunction(() => !location.hash.includes('merge='));

    // Humans only: fewer clicks in all (the link scanner clicked every link), every badge still drawn, in the hash.
    const totalClicks = async (): Promise<number> => Number((await page.locator('[data-total="clicks"]').textContent())!.replace(/\D/g, ''));
    await page.getByText('Humans only', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('who=human'));
    await expect.poll(totalClicks).toBeLessThan(total);
    await badges.first().waitFor();
    expect(await badges.count()).toBe(drawn.length);
    await page.getByText('All events', { exact: true }).click();
    await expect.poll(totalClicks).toBe(total);

    // Distinct-clicker basis and mobile width, in the hash.
    await page.getByText('Distinct clickers', { exact: true }).first().click();
    await page.waitForFunction(() => location.hash.includes('basis=clickers'));
    await page.getByText('Mobile', { exact: true }).click();
    await page.waitForFunction(() => location.hash.includes('width=mobile'));
    await badges.first().waitFor();
    expect(await page.locator('.hot-stage').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(376);

    expect(requests.urls.filter((u) => u.includes('tracking-logs.invalid'))).toEqual([]);
    // The watcher does see a request to that host from this page (so the empty list above means something).
    await page.evaluate(() => fetch('https://t.sample.tracking-logs.invalid/watcher-probe').catch(() => undefined));
    await page.waitForTimeout(200);
    expect(requests.urls.filter((u) => u.includes('tracking-logs.invalid'))).toEqual([
      'https://t.sample.tracking-logs.invalid/watcher-probe',
    ]);
    // The probe's own failure is the only error.
    expect(ext.errorsOf(page).filter((e) => !/watcher-probe|Failed to fetch|ERR_FAILED/.test(e))).toEqual([]);
  });
});

describe('the URLs chart in Swedish', () => {
  let ext: ExtensionHandle;
  let deliveryId: number;

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'sv' });
    await recordCanvasText(ext.context);
    await ext.context.route(/tracking-logs\.invalid/, (route) => route.abort());
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Prova med exempeldata' }).click();
    const store = await waitForStore(() => popup, (s) => s.runs.at(-1)?.status === 'ok');
    deliveryId = store.deliveries.find((d) => d.trackingEnabled && d.label.startsWith('Sample: Newsletter'))!.id;
    await popup.close();
  });
  afterAll(async () => ext?.close());

  it('has Swedish ticks, axis titles and legend: no "12am", no M/D/YY, no English', async () => {
    const page = await ext.openPage(`/options.html#/deliveries/${deliveryId}/urls`);
    const chart = page.locator('.clicks-chart');
    await chart.locator('canvas').first().waitFor();
    const drawn = (await canvasTexts(page, '.clicks-chart canvas'))[0]!.texts.map((d) => d.text);
    expect(drawn.some((s) => /^Tid \(.+\)$/.test(s))).toBe(true);
    expect(drawn).toContain('Klick');
    // Ticks are Swedish dates ("23 okt.") or 24-hour times.
    const ticks = drawn.filter((s) => !/^(Tid \(|Klick$)/.test(s) && !/^[\d\s\u00a0]+$/.test(s));
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.every((s) => /^\d{1,2} [a-zåäö]{3}\.$|^\d{2}:\d{2}$/.test(s)), ticks.join(' | ')).toBe(true);
    const text = `${drawn.join(' | ')} | ${await chart.innerText()}`;
    expect(text).not.toMatch(/\b(am|pm|AM|PM|Time|All links|in total)\b|\d+\/\d+\/\d+|--/);
    expect(await chart.locator('.u-legend').innerText()).toMatch(/Alla länkar:?\s*[\d\s\u00a0]+ totalt/);
    expect(ext.errorsOf(page)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A hostile delivery: labels, URLs and HTML built to run script or navigate, served by the feed fixture.

function hostileDataset(origin: string): Dataset {
  const sentAt = Date.UTC(2026, 9, 1, 9);
  const html = `<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0;url=${origin}/navigated-refresh">
<base href="${origin}/base/">
<link rel="stylesheet" href="${origin}/css-link">
<style>@import url("${origin}/css-import"); body{background:url(${origin}/css-bg)}</style>
<script>window.top.__pwned = 'head-script'</script>
</head><body onload="window.top.__pwned='onload'">
<script>window.top.__pwned = 'script'; location.href = '${origin}/navigated-script'</script>
<img src="x" onerror="window.top.__pwned='onerror'">
<img src="${origin}/pixel" width="1" height="1">
<img srcset="${origin}/srcset 1x" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<a href="javascript:window.top.__pwned='js-href'">JS link</a>
<a href="${origin}/r/?id=h0,1,a1">Tracked A</a>
<a href="${origin}/r/?id=h0,1,a2" target="_top">Tracked B</a>
<form action="${origin}/form" method="post"><input name="q" value="x"><button>Send</button></form>
<iframe src="${origin}/iframe"></iframe>
<object data="${origin}/object"></object>
<svg><script>window.top.__pwned='svg'</script><image href="${origin}/svg-image"/></svg>
<div style="background-image:url('${origin}/inline-bg')">bg</div>
<img src="https://images.invalid/hero.png" width="600" height="200" alt="hero from an ordinary host">
<a href="data:text/html,<script>alert(1)</script>">data link</a>
</body></html>`;
  return {
    deliveries: [
      {
        kind: 'delivery',
        id: 'HOSTILE',
        label: '<img src=x onerror="window.__pwned=\'label\'">Hostile delivery',
        subject: '<script>window.__pwned="subject"</script>',
        sentAt: new Date(sentAt).toISOString(),
        tracking: true,
        toDeliver: 10,
        delivered: 10,
        html,
      },
      // A delivery whose source sent no HTML (a text-only send): the user drops its .eml.
      { kind: 'delivery', id: 'NOHTML', label: 'Sent without HTML', sentAt: new Date(sentAt).toISOString(), tracking: true },
    ],
    urls: [
      { kind: 'url', delivery: 'NOHTML', id: 'n1', type: 'click', url: 'https://shop.example/only-link', label: 'Only link', occurrence: 0 },
      { kind: 'url', delivery: 'HOSTILE', id: 'a1', type: 'click', url: "javascript:window.__pwned='url'", label: '<b onmouseover="window.__pwned=1">A</b>', occurrence: 1 },
      { kind: 'url', delivery: 'HOSTILE', id: 'a2', type: 'click', url: `${origin}/destination`, label: '"><script>window.__pwned=2</script>', category: '<i>cat</i>', occurrence: 2 },
    ],
    events: [
      { kind: 'event', id: 'n1', delivery: 'NOHTML', recipient: 'c@example.com', type: 'click', url: 'n1', time: new Date(sentAt + 60_000).toISOString() },
      { kind: 'event', id: 'h1', delivery: 'HOSTILE', recipient: '<script>x</script>@example.com', type: 'click', url: 'a1', time: new Date(sentAt + 60_000).toISOString() },
      { kind: 'event', id: 'h2', delivery: 'HOSTILE', recipient: '<script>x</script>@example.com', type: 'click', url: 'a2', time: new Date(sentAt + 120_000).toISOString() },
      { kind: 'event', id: 'h3', delivery: 'HOSTILE', recipient: 'b@example.com', type: 'click', url: 'a2', time: new Date(sentAt + 180_000).toISOString() },
    ],
  };
}

describe('a hostile delivery', () => {
  let ext: ExtensionHandle;
  let server: FeedServer;
  let deliveryId: number;

  beforeAll(async () => {
    // The email points at the fixture server itself, so any request it made would show in server.requests.
    server = await startFeedServer({ dataset: { deliveries: [], urls: [], events: [] } });
    server.append(hostileDataset(`http://127.0.0.1:${server.port}`));
    ext = await launchExtension({ locale: 'en' });
    const form = await ext.openPage('/options.html#/sources/new');
    await form.getByLabel('Name', { exact: true }).fill('Hostile feed');
    await form.getByLabel('Feed URL').fill(server.url('/feed'));
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/^Found /).waitFor();
    await form.getByRole('button', { name: 'Add source' }).click();
    const store = await waitForStore(() => form, (s) => s.runs.some((r) => r.status !== 'running' && (r.sources[0]?.stored ?? 0) > 0));
    deliveryId = store.deliveries.find((d) => d.extId === 'HOSTILE')!.id;
    await form.close();
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  async function expectInert(page: Page, path: string): Promise<void> {
    expect(page.url()).toContain(path);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    for (const f of page.frames()) {
      expect(await f.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned).catch(() => undefined)).toBeUndefined();
    }
    expect(ext.context.pages().filter((p) => !p.url().startsWith('chrome-extension://') && p.url() !== 'about:blank')).toEqual([]);
  }

  it('executes nothing and requests nothing from the email in the hot clicks view', async () => {
    const before = server.requests.length;
    const path = `#/deliveries/${deliveryId}/hotclicks`;
    const page = await ext.openPage(`/options.html${path}`);
    await page.locator('.hot-badge').first().waitFor();
    expect(await page.locator('.hot-badge').count()).toBe(2);
    // The frame's own CSP is in force (this page's CSP would allow https images): an https image put into the
    // frame by hand is refused with a violation of the frame's img-src.
    const violation = await page.evaluate(async () => {
      const doc = document.querySelector<HTMLIFrameElement>('.hot-stage iframe')!.contentDocument!;
      const seen = new Promise<string>((resolve) => {
        doc.addEventListener('securitypolicyviolation', (e) => resolve(`${e.effectiveDirective} ${e.blockedURI}`), { once: true });
        setTimeout(() => resolve('none'), 2000);
      });
      const img = doc.createElement('img');
      img.src = 'https://csp-probe.invalid/x.png';
      doc.body.append(img);
      return seen;
    });
    expect(violation).toBe('img-src https://csp-probe.invalid/x.png');
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    for (const a of await frame.locator('a[data-tl-link]').all()) await a.click({ force: true, timeout: 2_000 }).catch(() => undefined);
    // Remote images on: the https image of an ordinary host may load, still nothing from the tracking host.
    await page.getByRole('button', { name: 'Load remote images' }).click();
    await page.getByRole('button', { name: 'Block remote images' }).waitFor();
    await page.locator('.hot-badge').first().waitFor();
    const heroSrc = await page.evaluate(() =>
      document.querySelector<HTMLIFrameElement>('.hot-stage iframe')!.contentDocument!.querySelector('img[alt^="hero"]')?.getAttribute('src'),
    );
    expect(heroSrc).toBe('https://images.invalid/hero.png');
    await page.waitForTimeout(800);
    await expectInert(page, path);
    // Nothing from the email reached the server: no pixel, redirect, refresh, form, frame, style or image fetch.
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([]);
    // The labels are text.
    expect(await page.locator('.hot-badge').first().getAttribute('title')).toContain('<b onmouseover');
    // Only the refusals (CSP) and the unresolvable remote image may complain.
    expect(ext.errorsOf(page).filter((e) => !/Content Security Policy|Refused|ERR_NAME_NOT_RESOLVED/i.test(e))).toEqual([]);
  });

  it('shows the email from the copy the first view kept, as inert and with the same badges', async () => {
    const before = server.requests.length;
    const path = `#/deliveries/${deliveryId}/hotclicks`;
    const page = await ext.openPage(`/options.html${path}`);
    // The first view (the test above) kept its sanitised copy (lib/email/safe-email.ts).
    const kept = await page.evaluate(async (id) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('tracking-logs');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const row = await new Promise<{ markup: string } | undefined>((ok, fail) => {
        const r = db.transaction('safeEmails').objectStore('safeEmails').get(id);
        r.onsuccess = () => ok(r.result as { markup: string } | undefined);
        r.onerror = () => fail(r.error);
      });
      db.close();
      return row?.markup;
    }, deliveryId);
    expect(kept).toContain('data-tl-link');
    expect(kept).not.toMatch(/<script|onerror|onclick|javascript:|href=/i);
    await page.locator('.hot-badge').first().waitFor();
    expect(await page.locator('.hot-badge').count()).toBe(2);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.locator('a[data-tl-link]').count()).toBeGreaterThan(0);
    expect(await frame.locator('script, [onerror], [onclick], a[href]').count()).toBe(0);
    for (const a of await frame.locator('a[data-tl-link]').all()) await a.click({ force: true, timeout: 2_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    await expectInert(page, path);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([]);
    expect(ext.errorsOf(page).filter((e) => !/Content Security Policy|Refused|ERR_NAME_NOT_RESOLVED/i.test(e))).toEqual([]);
  });

  it('takes a dropped .eml as the HTML of a delivery that has none, and removes it again', async () => {
    const store = await readStore(await ext.openPage('/options.html'));
    const id = store.deliveries.find((d) => d.extId === 'NOHTML')!.id;
    const page = await ext.openPage(`/options.html#/deliveries/${id}/hotclicks`);
    await page.getByRole('heading', { name: 'No HTML for this delivery' }).waitFor();
    const html = '<html><body><p>Hej!</p><p><a href="https://shop.example/only-link">Köp nu</a></p></body></html>';
    const eml = [
      'Subject: Saved',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(html, 'utf8').toString('base64'),
      '',
    ].join('\r\n');
    await page.locator('input[type="file"]').setInputFiles({ name: 'saved.eml', mimeType: 'message/rfc822', buffer: Buffer.from(eml) });
    await page.getByText('“saved.eml”', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Use the file' }).click();
    await page.locator('.hot-badge').first().waitFor();
    expect(await page.locator('.hot-badge').count()).toBe(1);
    expect(await page.locator('.hot-badge').textContent()).toMatch(/100(\.0)?\s?%/);
    // Removed again (after a confirmation), the view asks for a file once more.
    await page.getByRole('button', { name: 'Remove dropped HTML' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove dropped HTML' }).click();
    await page.getByRole('heading', { name: 'No HTML for this delivery' }).waitFor();
    // Too big a file is refused with a message.
    await page.locator('input[type="file"]').setInputFiles({ name: 'big.html', mimeType: 'text/html', buffer: Buffer.alloc(6 * 1024 * 1024, 'a') });
    await page.getByText('That file is too large').waitFor();
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('shows hostile labels and URLs as text in the URLs tab, and javascript: URLs never become links', async () => {
    const path = `#/deliveries/${deliveryId}/urls`;
    const page = await ext.openPage(`/options.html${path}`);
    await page.locator('table.urls-table tbody tr').first().waitFor();
    await page.getByText('"><script>window.__pwned=2</script>').first().waitFor();
    await page.getByText("javascript:window.__pwned='url'").first().waitFor();
    const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((h) => /^(javascript|data):/i.test(h.trim()))).toEqual([]);
    const external = page.locator('a.url-text__open');
    expect(await external.count()).toBe(1);
    expect(await external.getAttribute('rel')).toBe('noopener noreferrer');
    await page.locator('ol.streams > li').first().waitFor();
    await page.getByText('<script>x</script>@example.com').first().waitFor();
    for (const row of await page.locator('table.urls-table tbody tr').all()) await row.hover();
    await expectInert(page, path);
    expect(ext.errorsOf(page)).toEqual([]);
    // The store still holds what the source sent, unharmed.
    const store = await readStore(page);
    expect(store.deliveries.find((d) => d.id === deliveryId)?.label).toContain('<img');
  });
});
