import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../../../public/_locales/en/messages.json';
import sv from '../../../../public/_locales/sv/messages.json';
import { openDb, type ProviderKind, type TrackingDb } from '../../../../lib/db/schema';
import { messageSchemas } from '../../../../lib/message-schemas';
import { createAdapters } from '../../../../lib/sources/adapters';
import { PROVIDER_KINDS } from '../../../../lib/sources/provider-kinds';
import {
  PROVIDERS,
  configFromValues,
  providerOf,
  requiredOrigins,
  secretFieldsOf,
  validateProviderValues,
} from '../../../../lib/sources/providers';
import { addProviderSource, updateProviderSource } from '../../../../lib/sources/registry';
import { getSecret, getSecretFields, savedSecretFields } from '../../../../lib/sources/secrets';
import { runWorkflow } from '../../../../lib/workflow/run';
import { makeMailgunItems, type MailgunDataset } from '../../../fixtures/providers/mailgun';
import { makePostmarkRows, type PostmarkDataset } from '../../../fixtures/providers/postmark';
import { startProviderServer, type ProviderServer } from '../../../fixtures/providers/server';

let db: TrackingDb;
let n = 0;
beforeEach(() => {
  fakeBrowser.reset();
  db = openDb(`providers-test-${++n}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('provider descriptors', () => {
  it('describe every provider kind, each with a secret, and strings in both languages', () => {
    expect(PROVIDERS.map((p) => p.kind).sort()).toEqual([...PROVIDER_KINDS].sort());
    // The type list in lib/db/schema.ts and the value list agree (a compile-time check, kept visible here).
    const kinds: ProviderKind[] = [...PROVIDER_KINDS];
    expect(kinds).toHaveLength(PROVIDERS.length);
    for (const p of PROVIDERS) {
      expect(secretFieldsOf(p).length).toBeGreaterThan(0);
      const keys = [p.nameKey, p.aboutKey, ...p.fields.flatMap((f) => [f.labelKey, f.hintKey, ...(f.options ?? []).map((o) => o.labelKey)])];
      for (const key of keys.filter((k) => k !== undefined)) {
        expect(en, key).toHaveProperty(key);
        expect(sv, key).toHaveProperty(key);
      }
    }
    expect(Object.keys(createAdapters()).sort()).toEqual(['feed', 'sample', ...PROVIDER_KINDS].sort());
  });

  it('can be tested through the message protocol, and nothing else can', () => {
    for (const kind of PROVIDER_KINDS) {
      expect(messageSchemas.testConnection.safeParse({ kind, config: {}, secrets: { apiKey: 'k' } }).success).toBe(true);
    }
    expect(messageSchemas.testConnection.safeParse({ kind: 'sample', config: {} }).success).toBe(false);
    expect(messageSchemas.testConnection.safeParse({ kind: 'mailgun', config: {}, secrets: { apiKey: 1 } }).success).toBe(false);
  });

  it('validate form values field by field, and a saved secret need not be typed again', () => {
    const mailgun = providerOf('mailgun')!;
    expect(validateProviderValues(mailgun, { region: 'us', domain: '', apiKey: '' })).toEqual({
      domain: { code: 'required' },
      apiKey: { code: 'required' },
    });
    expect(validateProviderValues(mailgun, { region: 'us', domain: 'not a domain', apiKey: 'k' })).toEqual({
      domain: { code: 'invalid', reason: 'not a domain name' },
    });
    expect(validateProviderValues(mailgun, { region: 'eu', domain: 'mg.example.com', apiKey: '' }, ['apiKey'])).toEqual({});
    expect(validateProviderValues(mailgun, { region: 'eu', domain: 'mg.example.com', apiKey: 'k', baseUrl: 'ftp://x' })).toEqual({
      baseUrl: { code: 'invalid', reason: 'expected an http(s) URL' },
    });
    // Secrets never reach the config.
    expect(configFromValues(mailgun, { region: 'eu', domain: 'mg.example.com', apiKey: 'k' })).toEqual({ region: 'eu', domain: 'mg.example.com' });
  });

  it('ask for the API origin of the region, or of the base-URL override', () => {
    expect(requiredOrigins({ kind: 'mailgun', config: { region: 'eu', domain: 'mg.example.com' } })).toEqual(['https://api.eu.mailgun.net/*']);
    expect(requiredOrigins({ kind: 'mailgun', config: { domain: 'mg.example.com' } })).toEqual(['https://api.mailgun.net/*']);
    expect(requiredOrigins({ kind: 'postmark', config: {} })).toEqual(['https://api.postmarkapp.com/*']);
    expect(requiredOrigins({ kind: 'sparkpost', config: { region: 'eu' } })).toEqual(['https://api.eu.sparkpost.com/*']);
    expect(requiredOrigins({ kind: 'sparkpost', config: { baseUrl: 'http://127.0.0.1:8080/' } })).toEqual(['http://127.0.0.1:8080/*']);
    expect(requiredOrigins({ kind: 'feed', config: { url: 'https://esp.example/feed?x=1' } })).toEqual(['https://esp.example/*']);
    expect(requiredOrigins({ kind: 'sample', config: {} })).toEqual([]);
  });
});

describe('provider sources in the registry', () => {
  it('keep settings in IndexedDB and secret fields only in storage.local; an empty field keeps the saved key', async () => {
    const row = await addProviderSource(db, {
      kind: 'mailgun',
      label: ' Newsletters ',
      values: { region: 'eu', domain: 'mg.example.com', apiKey: 'key-secret-1' },
    });
    const stored = await db.sources.get(row.id);
    expect(stored).toMatchObject({ kind: 'mailgun', label: 'Newsletters', config: { region: 'eu', domain: 'mg.example.com' } });
    expect(JSON.stringify(stored)).not.toContain('key-secret-1');
    expect(await getSecretFields(row.id)).toEqual({ apiKey: 'key-secret-1' });
    expect(await getSecret(row.id)).toBe('key-secret-1');

    await db.sources.update(row.id, { cursor: '{"begin":1}' });
    await updateProviderSource(db, row.id, { label: 'Newsletters', values: { region: 'eu', domain: 'mg.example.com', apiKey: '' }, savedSecrets: ['apiKey'] });
    expect(await savedSecretFields(row.id)).toEqual(['apiKey']);
    expect((await db.sources.get(row.id))!.cursor).toBe('{"begin":1}');
    await updateProviderSource(db, row.id, { label: 'N', values: { region: 'eu', domain: 'mg.example.com', apiKey: 'key-2' }, savedSecrets: ['apiKey'] });
    expect(await getSecret(row.id)).toBe('key-2');
    expect((await db.sources.get(row.id))!.cursor).toBe('{"begin":1}'); // a new key is the same account
    await updateProviderSource(db, row.id, { label: 'N', values: { region: 'us', domain: 'mg.example.com', apiKey: '' }, savedSecrets: ['apiKey'] });
    expect((await db.sources.get(row.id))!.cursor).toBeNull(); // another region is another account
  });

  it('refuse invalid values without storing anything', async () => {
    await expect(addProviderSource(db, { kind: 'postmark', label: 'P', values: { serverToken: '' } })).rejects.toThrow();
    await expect(addProviderSource(db, { kind: 'mailgun', label: 'M', values: { domain: 'x y', apiKey: 'k' } })).rejects.toThrow();
    expect(await db.sources.count()).toBe(0);
  });
});

describe('the workflow with provider sources', () => {
  let server: ProviderServer;
  const mg = makeMailgunItems({ seed: 21, recipients: 200, start: 1_795_000_000 });
  const pm = makePostmarkRows({ seed: 22, recipients: 300 });
  const mailgun: MailgunDataset = { domain: 'mg.example.com', apiKey: 'mg-key', items: mg.items };
  const postmark: PostmarkDataset = { token: 'pm-token', opens: pm.opens, clicks: pm.clicks };
  beforeAll(async () => {
    server = await startProviderServer({ mailgun, postmark });
  });
  afterAll(() => server.close());

  it('picks each source’s adapter by kind, passes its secret fields, and the aggregates match the fixture', async () => {
    const a = await addProviderSource(db, { kind: 'mailgun', label: 'MG', values: { region: 'us', domain: 'mg.example.com', apiKey: 'mg-key', baseUrl: server.origin } });
    const b = await addProviderSource(db, { kind: 'postmark', label: 'PM', values: { serverToken: 'pm-token', baseUrl: server.origin } });
    let clock = (1_795_000_000 + 5 * 86_400) * 1000;
    const deps = {
      db,
      adapters: createAdapters(),
      fetch: globalThis.fetch,
      now: () => (clock += 5),
      sleep: async () => undefined,
      getSecret,
      getSecrets: getSecretFields,
    };
    const run = await runWorkflow(deps, 'manual');
    expect(run.status).toBe('ok');
    expect(run.sources.map((s) => s.kind).sort()).toEqual(['mailgun', 'postmark']);
    expect(run.sources.every((s) => s.stored > 0 && s.rejected === 0)).toBe(true);
    for (const [sourceId, expected] of [
      [a.id, mg.expected],
      [b.id, pm.expected],
    ] as const) {
      for (const [extId, want] of Object.entries(expected)) {
        const delivery = await db.deliveries.where('[sourceId+extId]').equals([sourceId, extId]).first();
        expect(delivery, extId).toBeDefined();
        const totals = (await db.aggregates.get(delivery!.id!))!.totals;
        expect({ extId, open: totals.recipientOpen, clickers: totals.recipientClick, clicks: totals.totalRecipientClick, opens: totals.totalRecipientOpen, optOut: totals.optOut }).toEqual({
          extId,
          open: want.recipients,
          clickers: want.clickers,
          clicks: want.clicks,
          opens: want.opens,
          optOut: want.optOuts,
        });
      }
    }
    // Apple MPP opens flagged by Mailgun are counted as proxy opens.
    const proxied = mg.items.filter((i) => (i['client-info'] as { bot?: string }).bot === 'apple').length;
    const aggs = await db.aggregates.toArray();
    const deliveries = await db.deliveries.toArray();
    const mgIds = new Set(deliveries.filter((d) => d.sourceId === a.id).map((d) => d.id));
    expect(aggs.filter((g) => mgIds.has(g.deliveryId)).reduce((s, g) => s + g.totals.proxy, 0)).toBe(proxied);

    // A second run re-reads Mailgun's trailing window and Postmark's newest rows: all duplicates, nothing new.
    const again = await runWorkflow(deps, 'manual');
    expect(again.status).toBe('ok');
    expect(again.sources.map((s) => s.stored)).toEqual([0, 0]);
    expect(again.sources.every((s) => s.duplicates > 0)).toBe(true);
  });
});
