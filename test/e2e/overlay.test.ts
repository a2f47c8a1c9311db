import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BADGE_LIFT } from '../../lib/overlay/layout';
import { startEmailServer, type EmailServer } from '../fixtures/email-server';
import { CERBERUS, LEEMUNROE, LEEMUNROE_OLD, MAILCHIMP, overlayDataset } from '../fixtures/emails/deliveries';
import { startFeedServer, type FeedServer } from '../fixtures/feed-server';
import { launchExtension, type ExtensionHandle } from './harness';
import { waitForStore } from './store';

/**
 * The hot-click overlay on real email templates (test/fixtures/emails), in real Chromium.
 *
 * How it is triggered: a user clicks "Show hot clicks on this page" in the popup (or the context menu), which grants
 * activeTab on the tab; a headless browser cannot click the toolbar button, so the test sends the popup's own
 * message (`overlayShow` with the tab id) from an extension page, through the same sender check. The e2e build's
 * host permission for http://127.0.0.1/* stands in for activeTab; a frame from http://localhost (no permission)
 * plays the cross-origin frame activeTab would not open.
 *
 * What the page holds is read through the DevTools protocol (DOM.getDocument with pierce), the one way into a
 * closed shadow root; the page's own scripts are checked to see nothing.
 */

interface DomNode {
  nodeId: number;
  nodeType: number;
  localName?: string;
  nodeValue?: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
  documentURL?: string;
  shadowRootType?: string;
}

interface OverlayFrame {
  url: string;
  shadowType: string | undefined;
  badges: { text: string; title: string; hidden: boolean; nodeId: number }[];
  legend: string | undefined;
  nodes: Map<string, number>;
}

const attr = (n: DomNode, name: string): string | undefined => {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
};
/** Text content, as the page's author wrote it (the browser's own shadow trees of <select>, <details> left out). */
const textOf = (n: DomNode): string =>
  n.nodeType === 3 ? (n.nodeValue ?? '') : (n.children ?? []).map(textOf).join('');

/** Every overlay in the page and its frames, read from the DOM tree the DevTools protocol sees. */
async function readOverlay(cdp: CDPSession): Promise<OverlayFrame[] & { rootId?: number }> {
  // Each call renumbers the nodes: ids from an earlier call are no longer valid.
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: DomNode };
  const out: OverlayFrame[] & { rootId?: number } = [];
  out.rootId = root.nodeId;
  const visit = (n: DomNode, url: string): void => {
    const here = n.documentURL ?? url;
    if (n.localName === 'tracking-logs-hot-clicks') {
      const shadow = n.shadowRoots?.[0];
      const frame: OverlayFrame = { url: here, shadowType: shadow?.shadowRootType, badges: [], legend: undefined, nodes: new Map() };
      const inside = (m: DomNode): void => {
        const cls = attr(m, 'class');
        if (cls === 'badge') frame.badges.push({ text: textOf(m), title: attr(m, 'title') ?? '', hidden: attr(m, 'hidden') !== undefined, nodeId: m.nodeId });
        if (cls === 'legend') frame.legend = textOf(m).replace(/\s+/g, ' ');
        if (m.localName === 'select') frame.nodes.set('select', m.nodeId);
        if (m.localName === 'button') frame.nodes.set(cls === 'off' ? 'off' : 'fold', m.nodeId);
        if (m.localName === 'input') frame.nodes.set(`${attr(m, 'name')}-${attr(m, 'value')}`, m.nodeId);
        for (const c of m.children ?? []) inside(c);
      };
      if (shadow) inside(shadow);
      out.push(frame);
    }
    for (const c of n.children ?? []) visit(c, here);
    for (const s of n.shadowRoots ?? []) visit(s, here);
    if (n.contentDocument) visit(n.contentDocument, here);
  };
  visit(root, '');
  return out;
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last });
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function clickNode(page: Page, cdp: CDPSession, nodeId: number): Promise<void> {
  const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { content: number[] } };
  const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
  await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
}

async function boxOf(cdp: CDPSession, nodeId: number): Promise<{ x: number; y: number }> {
  const { model } = (await cdp.send('DOM.getBoxModel', { nodeId })) as { model: { border: number[] } };
  return { x: model.border[0]!, y: model.border[1]! };
}

// Badges always show one decimal (lib/overlay/overlay-ui.ts), as the tracking view's do.
const pct = (x: number): string => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
const share = (links: { id: string; type: string; clicks: number; clickers: number }[], id: string, basis: 'clicks' | 'clickers'): string => {
  const count = (l: (typeof links)[number]): number => (basis === 'clicks' ? l.clicks : l.clickers);
  const total = links.reduce((s, l) => s + count(l), 0);
  const l = links.find((x) => x.id === id)!;
  return `${pct(count(l) / total)} · ${count(l)}`;
};

describe('hot-click overlay on email pages', () => {
  let ext: ExtensionHandle;
  let feed: FeedServer;
  let emails: EmailServer;
  let control: Page;

  /** What the popup's button sends, for the tab showing `page`. */
  async function show(page: Page): Promise<{ ok: boolean; framesReached: number; framesUnreached: number; matched: number; total: number; deliveryId?: number }> {
    return control.evaluate(async (url) => {
      const tabs = await chrome.tabs.query({});
      const tab = tabs.find((t) => t.url === url);
      if (tab?.id === undefined) throw new Error(`no tab for ${url}`);
      const reply = (await chrome.runtime.sendMessage({ id: 1, type: 'overlayShow', data: { tabId: tab.id }, timestamp: Date.now() })) as {
        res?: never;
        err?: unknown;
      };
      if (reply.err) throw new Error(JSON.stringify(reply.err));
      return reply.res!;
    }, page.url());
  }

  async function open(path: string): Promise<{ page: Page; cdp: CDPSession }> {
    const page = await ext.context.newPage();
    await page.goto(emails.url(path), { waitUntil: 'load' });
    return { page, cdp: await ext.context.newCDPSession(page) };
  }

  beforeAll(async () => {
    feed = await startFeedServer({ dataset: overlayDataset() });
    emails = await startEmailServer();
    ext = await launchExtension({ locale: 'en' });
    // Seed the store the way a user does: add the feed as a source in the tracking view.
    const form = await ext.openPage('/options.html#/sources/new');
    await form.getByLabel('Name', { exact: true }).fill('Fixture ESP');
    await form.getByLabel('Feed URL').fill(feed.url('/feed'));
    await form.getByRole('button', { name: 'Add source' }).click();
    await waitForStore(() => form, (s) => s.runs.some((r) => r.status === 'ok') && s.deliveries.length === 5);
    control = await ext.openPage('/popup.html');
  }, 120_000);
  afterAll(async () => {
    await ext?.close();
    await feed?.close();
    await emails?.close();
  });

  it('Cerberus (Adobe redirects): picks the delivery by its ids, draws a badge per email link, lists what matched nothing', async () => {
    const { page, cdp } = await open('/emails/cerberus-fluid.html');
    const before = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      body: document.body.outerHTML,
      keys: Object.keys(window).sort(),
      rects: [...document.querySelectorAll('a')].map((a) => JSON.stringify(a.getBoundingClientRect())),
    }));

    const result = await show(page);
    expect(result).toMatchObject({ ok: true, framesReached: 1, framesUnreached: 0, matched: 8, total: 10 });
    const [overlay] = await poll('badges', async () => {
      const o = await readOverlay(cdp);
      return o[0]?.badges.length === 6 && o[0].legend ? o : undefined;
    });
    expect(overlay!.shadowType).toBe('closed');
    // Links in document order: logo, hero, button, boots, jacket, last month's issue (other delivery), VML button
    // fallback, mirror page, privacy (untracked), unsubscribe. Mirror and opt-out count but carry no badge.
    const L = CERBERUS.links;
    expect(overlay!.badges.map((b) => b.text)).toEqual(['7b00', '7b01', '7b02', '7b03', '7b04', '7b07'].map((id) => share(L, id, 'clicks')));
    expect(overlay!.badges[1]!.title).toContain('Hero image');
    expect(overlay!.badges[1]!.title).toContain('60 clicks, 40 clickers');
    const legend = overlay!.legend!;
    expect(legend).toContain('Cerberus: Spring news — 8 of 10 links');
    expect(legend).toContain('Cerberus: Winter news — 1 of 10 links');
    expect(legend).toContain('8 of 10 links matched');
    expect(legend).toContain('Total: 180 clicks, 130 clickers');
    expect(legend).toContain('2 links matched nothing');
    expect(legend).toContain('https://t.news.example/r/?id=h2f1,7a00,7900 (tracked link of another delivery)');
    expect(legend).toContain('https://www.example.org/privacy (no tracked URL with this destination)');

    // The page sees nothing: same body, no new globals, a closed empty host, no layout shift.
    const after = await page.evaluate(() => {
      const host = document.querySelector('tracking-logs-hot-clicks')!;
      return {
        body: document.body.outerHTML,
        keys: Object.keys(window).sort(),
        rects: [...document.querySelectorAll('a')].map((a) => JSON.stringify(a.getBoundingClientRect())),
        host: host.outerHTML,
        shadow: host.shadowRoot,
        html: document.documentElement.outerHTML,
      };
    });
    expect(after.body).toBe(before.body);
    expect(after.keys).toEqual(before.keys);
    expect(after.rects).toEqual(before.rects);
    expect(after.host).toBe('<tracking-logs-hot-clicks></tracking-logs-hot-clicks>');
    expect(after.shadow).toBeNull();
    // The whole serialised document is the page's own plus one empty element: no number, no attribute of ours.
    expect(after.html.replace('<tracking-logs-hot-clicks></tracking-logs-hot-clicks>', '')).toBe(before.html);

    // Badges sit on their links and follow the page as it scrolls.
    const tree = await readOverlay(cdp);
    const fresh = tree[0]!;
    const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: tree.rootId!, selector: 'a' })) as { nodeIds: number[] };
    const linkBox = await boxOf(cdp, nodeIds[2]!);
    const badgeBox = await boxOf(cdp, fresh.badges[2]!.nodeId);
    expect(Math.abs(badgeBox.x - linkBox.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(badgeBox.y - (linkBox.y - BADGE_LIFT))).toBeLessThanOrEqual(2); // lifted onto the link's top edge
    // An image link: the badge marks the image (the inline <a> around it reports only a line box).
    const { nodeIds: images } = (await cdp.send('DOM.querySelectorAll', { nodeId: tree.rootId!, selector: 'a img' })) as { nodeIds: number[] };
    const hero = await boxOf(cdp, images[1]!);
    const heroBadge = await boxOf(cdp, fresh.badges[1]!.nodeId);
    expect(Math.abs(heroBadge.x - hero.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(heroBadge.y - (hero.y - BADGE_LIFT))).toBeLessThanOrEqual(2);
    await page.evaluate(() => window.scrollBy(0, 100));
    await poll('the badge to follow the scroll', async () => {
      const moved = await boxOf(cdp, fresh.badges[2]!.nodeId);
      return Math.abs(moved.y - (badgeBox.y - 100)) <= 2 ? true : undefined;
    });

    // The basis toggle, from the legend (a real click into the closed root).
    await clickNode(page, cdp, (await readOverlay(cdp))[0]!.nodes.get('basis-clickers')!);
    await poll('distinct basis', async () => {
      const o = (await readOverlay(cdp))[0];
      return o?.badges[1]?.text === share(L, '7b01', 'clickers') ? true : undefined;
    });
    expect((await readOverlay(cdp))[0]!.badges.map((b) => b.text)).toEqual(['7b00', '7b01', '7b02', '7b03', '7b04', '7b07'].map((id) => share(L, id, 'clickers')));

    // Humans only: the fixture's readers click several links in the same minute, which the link-scanner rule takes
    // for a machine, so fewer clicks are left; the legend says so and keeps the choice.
    const totalOf = (legend: string | undefined): number => Number(/Total: ([\d,]+) clicks/.exec(legend ?? '')?.[1]?.replace(/,/g, '') ?? NaN);
    const allClicks = totalOf((await readOverlay(cdp))[0]!.legend);
    expect(allClicks).toBe(L.reduce((s, l) => s + l.clicks, 0));
    await clickNode(page, cdp, (await readOverlay(cdp))[0]!.nodes.get('who-human')!);
    const humanClicks = await poll('the humans-only count', async () => {
      const n = totalOf((await readOverlay(cdp))[0]?.legend);
      return n < allClicks ? n : undefined;
    });
    expect(humanClicks).toBeGreaterThan(0);
    expect((await readOverlay(cdp))[0]!.badges).toHaveLength(6);
    await clickNode(page, cdp, (await readOverlay(cdp))[0]!.nodes.get('who-all')!);
    await poll('all clicks again', async () => (totalOf((await readOverlay(cdp))[0]?.legend) === allClicks ? true : undefined));
    await page.close();
  });

  it('Lee Munroe in a web-mail iframe: matched by destination, the unreachable frame is reported, another send can be picked', async () => {
    const { page, cdp } = await open('/emails/webmail.html');
    const result = await show(page);
    expect(result).toMatchObject({ ok: true, framesReached: 2, framesUnreached: 1, matched: 3, total: 3 });
    const overlays = await poll('both frames drawn', async () => {
      const o = await readOverlay(cdp);
      const email = o.find((f) => f.url.endsWith('/emails/leemunroe.html'));
      const top = o.find((f) => f.url.endsWith('/emails/webmail.html'));
      return email?.badges.length === 2 && top?.legend ? { email, top } : undefined;
    });
    expect(overlays.top.badges).toEqual([]); // the web-mail's own links matched nothing and get nothing
    expect(overlays.email.legend).toBeUndefined();
    expect(overlays.email.badges.map((b) => b.text)).toEqual([share(LEEMUNROE.links, 'lm-2-gh', 'clicks'), share(LEEMUNROE.links, 'lm-2-tw', 'clicks')]);
    const legend = overlays.top.legend!;
    expect(legend).toContain('Lee Munroe: second send — 3 of 3 links');
    expect(legend).toContain('Lee Munroe: first send — 3 of 3 links');
    expect(legend).toContain('1 frame could not be reached');
    expect(legend).not.toContain('matched nothing');

    // Pick the other send with the keyboard.
    await cdp.send('DOM.focus', { nodeId: overlays.top.nodes.get('select')! });
    await page.keyboard.press('ArrowDown');
    await poll('the first send drawn', async () => {
      const email = (await readOverlay(cdp)).find((f) => f.url.endsWith('/emails/leemunroe.html'));
      return email?.badges[0]?.text === share(LEEMUNROE_OLD.links, 'lm-1-gh', 'clicks') ? true : undefined;
    });

    // The off switch removes every trace, in every frame.
    const top = (await readOverlay(cdp)).find((f) => f.legend)!;
    await clickNode(page, cdp, top.nodes.get('off')!);
    await poll('overlay gone', async () => ((await readOverlay(cdp)).length === 0 ? true : undefined));
    for (const frame of page.frames()) {
      if (!frame.url().startsWith(emails.url('/'))) continue;
      expect(await frame.evaluate(() => document.querySelector('tracking-logs-hot-clicks'))).toBeNull();
    }
    await page.close();
  });

  it('Mailchimp blueprint: click-tracking link ids and plain mirror/unsubscribe URLs', async () => {
    const { page, cdp } = await open('/emails/mailchimp-simple-basic.html');
    expect(await show(page)).toMatchObject({ ok: true, matched: 5, total: 7 });
    const [overlay] = await poll('badges', async () => {
      const o = await readOverlay(cdp);
      return o[0]?.badges.length === 3 && o[0].legend ? o : undefined;
    });
    expect(overlay!.badges.map((b) => b.text)).toEqual(['a1b2c3d4e5', 'b1b2c3d4e5', 'c1b2c3d4e5'].map((id) => share(MAILCHIMP.links, id, 'clicks')));
    expect(overlay!.legend).toContain('Mailchimp blueprint: November — 5 of 7 links');
    expect(overlay!.legend).toContain('2 links matched nothing');
    expect(overlay!.legend).toContain('forward-to-friend.com');

    // Asked again (the user clicks the button twice): the new copy replaces the old one, nothing doubles.
    expect(await show(page)).toMatchObject({ ok: true, matched: 5 });
    await poll('one overlay after the second injection', async () => {
      const hosts = await page.evaluate(() => document.querySelectorAll('tracking-logs-hot-clicks').length);
      const o = await readOverlay(cdp);
      return hosts === 1 && o.length === 1 && o[0]!.badges.length === 3 ? true : undefined;
    });
    await page.close();
  });

  it("says so in the popup when the tab cannot be reached (here: the popup's own tab)", async () => {
    const popup = await ext.openPage('/popup.html');
    await popup.getByRole('button', { name: 'Show hot clicks on this page' }).click();
    await popup.getByText('Hot clicks cannot be shown on this page').waitFor();
    expect(ext.errorsOf(popup)).toEqual([]);
  });
});
