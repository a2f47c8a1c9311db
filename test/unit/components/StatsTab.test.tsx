// @vitest-environment happy-dom
import { render } from 'preact';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { StatsTab, parseStatsView, STATS_DRAWN_MARK } from '../../../entrypoints/options/routes/delivery/stats';
import type { ViewContext } from '../../../entrypoints/options/context';
import { resetBreakdownCaches } from '../../../lib/db/breakdowns';
import { DEFAULT_MACHINE_RULES } from '../../../lib/indicators/machine';
import { db } from '../../../lib/db/instance';
import { deliveryWithAggregate, type DeliveryListItem } from '../../../lib/db/queries';
import type { RouteParams } from '../../../lib/routes';
import type { EventInput } from '../../../lib/sources/source';
import { runWorkflow } from '../../../lib/workflow/run';
import { installFakeCanvas, type FakeCanvas } from '../helpers/fake-canvas';
import { installI18n } from '../helpers/fake-i18n';
import { addFeed, deps, pagedAdapter } from '../lib/workflow/helpers';

// happy-dom has no canvas: uPlot draws into a fake 2D context.
let canvas: FakeCanvas;
beforeAll(() => {
  canvas = installFakeCanvas(() => 10);
});
afterAll(() => canvas.restore());

const SENT = Date.UTC(2026, 10, 20, 9, 30);
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** 4 gmail and 2 company recipients; hand-countable opens and clicks over three hours. */
function events(): EventInput[] {
  const out: EventInput[] = [];
  let n = 0;
  const add = (recipient: string, type: 1 | 2, minutes: number, ua: string, url?: string): void => {
    out.push({ id: `e${n++}`, deliveryExtId: 'D1', recipient, type, time: SENT + minutes * 60_000, userAgent: ua, urlExtId: url });
  };
  add('a@gmail.com', 2, 5, IPHONE);
  add('a@gmail.com', 2, 5.5, IPHONE); // a repeat within a minute: not counted
  add('b@gmail.com', 2, 20, IPHONE);
  add('c@gmail.com', 2, 70, CHROME);
  add('c@gmail.com', 1, 72, CHROME, 'U0');
  add('d@gmail.com', 1, 75, CHROME, 'U1'); // a click without an open: still an opener
  add('x@acme.example', 2, 130, CHROME);
  add('y@acme.example', 2, 140, IPHONE);
  return out;
}

let root: HTMLElement;
let hash: RouteParams;
const ctx: ViewContext = {
  timeZone: 'UTC',
  now: Date.UTC(2026, 10, 27),
  running: false,
  navigate: () => undefined,
  rules: DEFAULT_MACHINE_RULES,
};

beforeEach(async () => {
  fakeBrowser.reset();
  installI18n('en');
  await db.delete();
  await db.open();
  resetBreakdownCaches(db);
  root = document.createElement('div');
  document.body.append(root);
  hash = {};
  performance.clearMarks();
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function seed(deliveredByDomain?: Record<string, number>, extra: EventInput[] = []): Promise<DeliveryListItem> {
  await addFeed(db);
  const adapter = pagedAdapter([...events(), ...extra], 100);
  const fetchPage = adapter.fetchPage.bind(adapter);
  adapter.fetchPage = async (c) => {
    const page = await fetchPage(c);
    page.records.deliveries = page.records.deliveries.map((d) => ({ ...d, sentAt: SENT, deliveredByDomain }));
    return page;
  };
  await runWorkflow(deps(db, adapter), 'manual');
  return (await deliveryWithAggregate(db, 1))!;
}

function show(item: DeliveryListItem): void {
  const setParams = vi.fn((next: RouteParams) => {
    hash = { ...hash, ...next };
    for (const [k, v] of Object.entries(hash)) if (v === '') delete hash[k];
    render(<StatsTab item={item} ctx={ctx} params={hash} setParams={setParams} />, root);
  });
  render(<StatsTab item={item} ctx={ctx} params={hash} setParams={setParams} />, root);
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}: ${root.textContent?.slice(0, 400)}`);
}

const indicator = (label: string): string | undefined =>
  [...root.querySelectorAll('.indicator')].find((el) => el.querySelector('dt')?.textContent === label)?.querySelector('dd')
    ?.textContent ?? undefined;

describe('Tracking statistics tab', () => {
  it('shows every indicator from the aggregate, draws the charts and sets the drawn mark', async () => {
    const item = await seed({ 'gmail.com': 40, 'acme.example': 20, 'yahoo.com': 38 });
    show(item);
    await until(() => root.querySelectorAll('.time-chart .uplot').length === 2, 'two charts');
    expect(indicator('Distinct opens')).toBe('6');
    expect(indicator('Total opens')).toBe('5');
    expect(indicator('Recipient clicks')).toBe('2');
    expect(indicator('Cumulated clicks')).toBe('2');
    expect(indicator('Distinct clicks (persons)')).toBe('2');
    expect(indicator('Estimated forwards')).toBe('0');
    expect(indicator('Estimated distinct opens')).toBe('6'); // pagedAdapter: 100 to deliver, 0 text-only
    expect(indicator('Raw reactivity')).toBe('33.3%');
    expect(indicator('Open rate')).toBe('6.1%'); // 6 / 98 delivered
    await until(() => performance.getEntriesByName(STATS_DRAWN_MARK).length === 1, 'the drawn mark');
    // The screen-reader summary of the opens chart (per hour, UTC): 5 opens in all, most in the send hour.
    expect(root.querySelector('.time-chart .visually-hidden')?.textContent).toMatch(/^Opens: 5 in all; highest value 2 at/);

    // Times to 50/80/90 % of opens, as durations after the send (hand-computed cases: time-to-share.test.ts).
    const timeTo = root.querySelector('.stats__time-to tbody')!.textContent!;
    expect(timeTo).toContain('50%');
    expect(timeTo).toMatch(/min/);

    // Breakdowns after the charts: Gmail's rate over its 40 delivered, company domains under Others.
    await until(() => root.querySelector('.stats__domains tbody') !== null, 'the domain table');
    const domainRows = [...root.querySelectorAll('.stats__domains tbody tr')].map((tr) => tr.textContent);
    // Domain, delivered, openers, open rate, clickers, click-through rate, raw reactivity.
    expect(domainRows[0]).toBe('Gmail40410.0%25.0%50.0%');
    expect(domainRows.at(-1)).toBe('Others20210.0%00.0%0.0%');
    expect(domainRows.some((r) => r?.startsWith('Yahoo38'))).toBe(true);
    await until(() => root.querySelector('.stats__agents tbody') !== null, 'the device table');
    const devices = [...root.querySelectorAll('.stats__agents tbody th')].map((th) => th.textContent);
    expect(devices).toEqual(['Mobile', 'Desktop']);
  });

  it('keeps the toggles in the hash params and redraws from them', async () => {
    const item = await seed();
    show(item);
    await until(() => root.querySelectorAll('.time-chart .uplot').length === 2, 'two charts');
    expect(root.querySelector('.time-chart__title')?.textContent).toBe('Opens per hour');
    const button = (name: string): HTMLButtonElement =>
      [...root.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;
    button('Day').click();
    expect(hash).toEqual({ unit: 'day' });
    button('Since send').click();
    (root.querySelector('.stats__check input') as HTMLInputElement).click();
    expect(hash).toEqual({ unit: 'day', axis: 'since', cumulative: '1' });
    await until(() => root.querySelector('.time-chart__title')?.textContent === 'Opens, cumulative', 'the cumulative title');
    expect(button('Since send').getAttribute('aria-pressed')).toBe('true');
    button('Operating system').click();
    expect(hash.by).toBe('os');
    await until(() => [...root.querySelectorAll('.stats__agents tbody th')].some((th) => th.textContent === 'iOS'), 'OS rows');
    // Without delivered per domain, shares of openers replace rates, and the note says why.
    expect(root.querySelector('.stats__domains')?.textContent).toContain('Share of openers');
    expect(root.querySelector('.stats__domains')?.textContent).toContain('does not tell how many messages were delivered');
  });

  it('marks the hour still under way on both charts, and gives totals in the legend', async () => {
    const item = await seed();
    // The last open is at 11:50 UTC; five minutes later its hour is not over.
    const now = SENT + 145 * 60_000;
    render(<StatsTab item={item} ctx={{ ...ctx, now }} params={{}} setParams={vi.fn()} />, root);
    await until(() => root.querySelectorAll('.time-chart .uplot').length === 2, 'two charts');
    expect([...root.querySelectorAll('.time-chart__note')].map((p) => p.textContent)).toEqual([
      'Dashed: the last hour is not over yet, so its point is the count so far.',
      'Dashed: the last hour is not over yet, so its point is the count so far.',
    ]);
    expect(root.querySelector('.time-chart .u-legend')?.textContent).toContain('Opens5 in total');
    // An hour later it is a finished hour like the others.
    render(<StatsTab item={item} ctx={{ ...ctx, now: now + 3_600_000 }} params={{}} setParams={vi.fn()} />, root);
    await until(() => root.querySelector('.time-chart__note') === null, 'the note to go');
  });

  it('reads unknown params as the defaults', () => {
    expect(parseStatsView({ who: 'bots', unit: 'week', axis: 'x', cumulative: 'yes', by: 'cpu' })).toEqual({
      who: 'all',
      unit: 'hour',
      axis: 'calendar',
      cumulative: false,
      by: 'device',
    });
  });

  it('counts humans only on request: machines left out of every number, with the reasons, kept in the hash', async () => {
    const at = (minutes: number): number => SENT + minutes * 60_000;
    const item = await seed({ 'gmail.com': 40, 'acme.example': 20, 'yahoo.com': 38 }, [
      // Apple's proxy fetched z's image; a bot flagged by the source clicked for w; a scanner clicked three links at once.
      { id: 'p1', deliveryExtId: 'D1', recipient: 'z@gmail.com', type: 2, time: at(10), userAgent: 'Mozilla/5.0', proxy: true },
      { id: 'm1', deliveryExtId: 'D1', recipient: 'w@gmail.com', type: 1, time: at(11), userAgent: CHROME, urlExtId: 'U0', machine: true },
      { id: 's1', deliveryExtId: 'D1', recipient: 'v@acme.example', type: 1, time: at(12), userAgent: CHROME, urlExtId: 'U0' },
      { id: 's2', deliveryExtId: 'D1', recipient: 'v@acme.example', type: 1, time: at(12), userAgent: CHROME, urlExtId: 'U1' },
      { id: 's3', deliveryExtId: 'D1', recipient: 'v@acme.example', type: 1, time: at(12) + 1000, userAgent: CHROME, urlExtId: 'U2' },
    ]);
    show(item);
    await until(() => root.querySelectorAll('.time-chart .uplot').length === 2, 'two charts');
    // All events, as the reference counts them: 6 people + z, w and v.
    expect(indicator('Distinct opens')).toBe('9');
    expect(indicator('Recipient clicks')).toBe('4');
    expect(root.querySelector('.stats__who-note')?.textContent).toContain('“Humans only” leaves out');

    const button = (name: string): HTMLButtonElement =>
      [...root.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement;
    button('Humans only').click();
    expect(hash).toEqual({ who: 'human' });
    await until(() => indicator('Distinct opens') === '6', 'the human count');
    expect(indicator('Total opens')).toBe('5');
    expect(indicator('Recipient clicks')).toBe('2');
    expect(indicator('Cumulated clicks')).toBe('2');
    expect(indicator('Open rate')).toBe('6.1%'); // 6 / 98 delivered, as with the people alone
    expect(button('Humans only').getAttribute('aria-pressed')).toBe('true');
    expect(root.querySelector('.stats__who-note')?.textContent).toBe(
      'Humans only: 5 of 13 events left out as a machine’s (Bot (source) 1 · Privacy proxy 1 · Link scanner 3). ' +
        'Every number, chart and breakdown below counts the rest, with the same definitions. ' +
        'Opens through Gmail’s image proxy count: it fetches the image when the reader opens the email.',
    );
    await until(() => root.querySelectorAll('.time-chart .uplot').length === 2, 'the human charts');
    expect(root.querySelector('.time-chart .visually-hidden')?.textContent).toMatch(/^Opens: 5 in all;/);
    // The domain breakdown counts people too: acme's scanner is not an opener.
    await until(() => root.querySelector('.stats__domains tbody') !== null, 'the domain table');
    const domainRows = [...root.querySelectorAll('.stats__domains tbody tr')].map((tr) => tr.textContent);
    expect(domainRows[0]).toBe('Gmail40410.0%25.0%50.0%');
    expect(domainRows.at(-1)).toBe('Others20210.0%00.0%0.0%');

    button('All events').click();
    expect(hash).toEqual({});
    await until(() => indicator('Distinct opens') === '9', 'all events again');
  });

  it('says so when the delivery has no events yet', async () => {
    await addFeed(db);
    await db.deliveries.add({ sourceId: 'src-1', extId: 'D9', label: 'Empty', trackingEnabled: true, hasHtml: false });
    const item = (await deliveryWithAggregate(db, 1))!;
    show(item);
    await until(() => root.textContent!.includes('No opens or clicks yet'), 'the empty state');
    expect(root.querySelector('.time-chart')).toBeNull();
    expect(indicator('Distinct opens')).toBe('0');
    expect(indicator('Estimated distinct opens')).toBe('—'); // messages to deliver unknown
  });
});
