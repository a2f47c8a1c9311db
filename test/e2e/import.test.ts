import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionHandle } from './harness';
import { readStore } from './store';

/**
 * A SendGrid Event Webhook export, as a user saves it: the documented open + click (esp-formats.md §4.1) and 600
 * more records of two campaigns (categories), some delivered events among them (skipped by the import).
 */
function sendGridExport(): { text: string; expected: Record<string, { opens: Set<string>; clicks: number; events: number }> } {
  const documented = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/import/sendgrid-open-click.json'), 'utf8'),
  ) as Record<string, unknown>[];
  const records: Record<string, unknown>[] = [...documented];
  const t0 = Date.UTC(2026, 10, 20, 9) / 1000;
  for (let i = 0; i < 600; i++) {
    const event = i % 10 === 9 ? 'delivered' : i % 4 === 0 ? 'click' : 'open';
    records.push({
      email: `reader${i % 45}@example.com`,
      timestamp: t0 + i * 90,
      event,
      category: i % 3 === 0 ? 'cat facts' : 'dog facts',
      sg_event_id: `e2e-${i}`,
      sg_message_id: `m${i % 45}.filter0001`,
      useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0',
      ip: '192.0.2.7',
      ...(event === 'click' ? { url: `https://example.com/article/${i % 5}`, url_offset: { index: 0, type: 'html' } } : {}),
    });
  }
  const expected: Record<string, { opens: Set<string>; clicks: number; events: number }> = {};
  for (const r of records) {
    if (r.event !== 'open' && r.event !== 'click') continue;
    const key = `file-sendgrid/category:${String(r.category)}`;
    const d = (expected[key] ??= { opens: new Set(), clicks: 0, events: 0 });
    d.opens.add(String(r.email));
    d.events++;
    if (r.event === 'click') d.clicks++;
  }
  return { text: JSON.stringify(records), expected };
}

describe('file import in the tracking view', () => {
  let ext: ExtensionHandle;
  const { text, expected } = sendGridExport();
  const total = Object.values(expected).reduce((n, d) => n + d.events, 0);

  beforeAll(async () => {
    ext = await launchExtension({ locale: 'en' });
  });
  afterAll(async () => ext?.close());

  it('imports a SendGrid file chosen with the file picker and shows what it added', async () => {
    const page = await ext.openPage('/options.html#/sources');
    await page.getByRole('link', { name: 'Import a file' }).first().click();
    await page.getByRole('heading', { name: 'Import a file', level: 1 }).waitFor();
    await page.getByTestId('import-file-input').setInputFiles({
      name: 'sendgrid-events.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await page.getByText('This looks like a SendGrid Event Webhook (JSON) file.').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-added').innerText()).toBe(total.toLocaleString('en-US'));
    expect(await page.getByTestId('import-duplicates').innerText()).toBe('0');
    await page.getByText('Skipped, as they are not opens, clicks or opt-outs: delivered (60).').waitFor();

    // The delivery indicators: distinct opens (any event), cumulated clicks, events.
    const store = await readStore(page);
    expect(store.sources).toContainEqual(expect.objectContaining({ id: 'file-sendgrid', kind: 'file' }));
    for (const [key, d] of Object.entries(expected)) {
      expect(store.totals[key], key).toMatchObject({ events: d.events, recipientOpen: d.opens.size, totalRecipientClick: d.clicks });
    }
    expect(store.runs.at(-1)).toMatchObject({ trigger: 'import', status: 'ok', sources: [{ stored: total, duplicates: 0 }] });

    // The summary links to the deliveries; they are listed with their names.
    await page.getByRole('link', { name: 'cat facts' }).waitFor();
    await page.getByRole('link', { name: 'See the deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await page.getByText('dog facts').first().waitFor();
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('takes a file dropped anywhere on the view, and importing it again adds nothing', async () => {
    const page = await ext.openPage('/options.html#/deliveries');
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const before = await readStore(page);
    // A synthetic drop, as the browser fires it for a file dragged from the desktop.
    const dataTransfer = await page.evaluateHandle((body) => {
      const dt = new DataTransfer();
      dt.items.add(new File([body], 'sendgrid-events.json', { type: 'application/json' }));
      return dt;
    }, text);
    await page.dispatchEvent('main', 'dragenter', { dataTransfer });
    await page.locator('.drop-overlay').waitFor();
    await page.dispatchEvent('main', 'drop', { dataTransfer });
    await page.getByRole('heading', { name: 'Import a file', level: 1 }).waitFor();
    await page.getByText('This looks like a SendGrid Event Webhook (JSON) file.').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-added').innerText()).toBe('0');
    expect(await page.getByTestId('import-duplicates').innerText()).toBe(total.toLocaleString('en-US'));
    await page.getByText('Every event in this file was already stored, so nothing was added.').waitFor();

    const after = await readStore(page);
    expect(after.events).toBe(before.events);
    expect(after.totals).toEqual(before.totals);
    expect(after.deliveries).toEqual(before.deliveries);
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('imports a CSV through the column mapping, with its preview and the type values mapped by the user', async () => {
    const rows = ['Opened at;Email;Action;Link;Campaign'];
    for (let i = 0; i < 40; i++) {
      const action = i % 4 === 0 ? 'Tapped' : i % 4 === 1 ? 'Bounced' : 'Viewed';
      rows.push(`2026-11-2${i % 3} 10:${String(i).padStart(2, '0')}:00;user${i % 7}@example.com;${action};${action === 'Tapped' ? 'https://example.com/a' : ''};Winter sale`);
    }
    const page = await ext.openPage('/options.html#/sources/import');
    await page.getByTestId('import-file-input').setInputFiles({ name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.getByText('This looks like a CSV file. Say below what its columns hold.').waitFor();
    // Guessed from the header: recipient, type, URL and delivery; the time column has an unusual name.
    expect(await page.getByLabel('Recipient (email or id)').inputValue()).toBe('1');
    expect(await page.getByLabel('Delivery (campaign)').inputValue()).toBe('4');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Choose the columns for time and recipient.').waitFor();
    await page.getByLabel('Time').selectOption({ label: 'Opened at' });
    // The first rows are previewed, and the provider's words for the event types are mapped here.
    await page.getByRole('cell', { name: 'user1@example.com' }).first().waitFor();
    await page.getByLabel('Tapped').selectOption({ label: 'Email click' });
    await page.getByLabel('Viewed').selectOption({ label: 'Open' });
    await page.getByLabel('Bounced').selectOption({ label: 'Not a tracking event: skip' });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-added').innerText()).toBe('30');
    const store = await readStore(page);
    expect(store.totals['file-csv/csv:Winter sale']).toMatchObject({ events: 30, totalRecipientClick: 10, recipientOpen: 7 });
    expect(ext.errorsOf(page)).toEqual([]);
  });

  it('says in plain words when a file is not an export it can read', async () => {
    const page = await ext.openPage('/options.html#/sources/import');
    await page.getByTestId('import-file-input').setInputFiles({
      name: 'login.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<!doctype html><title>Sign in</title>'),
    });
    await page.getByText('The file is a web page (HTML), not an export of tracking events.', { exact: false }).waitFor();
    await page.getByTestId('import-file-input').setInputFiles({ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) });
    await page.getByText('The file is empty: there is nothing to import.').waitFor();
    expect(ext.errorsOf(page)).toEqual([]);
  });
});
