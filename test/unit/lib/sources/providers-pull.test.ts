import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDb, type TrackingDb } from '../../../../lib/db/schema';
import { createAdapters } from '../../../../lib/sources/adapters';
import { configFromValues, providerOf, requiredOrigins, validateProviderValues } from '../../../../lib/sources/providers';
import { addProviderSource, updateProviderSource } from '../../../../lib/sources/registry';
import { getSecret, getSecretFields } from '../../../../lib/sources/secrets';
import { testSource, runWorkflow } from '../../../../lib/workflow/run';
import { adobeExpected, ADOBE_LOGIN, ADOBE_PASSWORD, makeAdobeDataset } from '../../../fixtures/providers/adobe';
import { BREVO_TEST_KEY, brevoExpected, makeBrevoDataset } from '../../../fixtures/providers/brevo';
import { MAILCHIMP_TEST_KEY, mailchimpExpected, makeMailchimpDataset } from '../../../fixtures/providers/mailchimp';
import { startProviderServer, type ProviderServer } from '../../../fixtures/providers/server';

/** Mailchimp, Brevo and Adobe Campaign as the source form and the workflow see them (lib/sources/providers.ts). */

let db: TrackingDb;
let n = 0;
beforeEach(() => {
  fakeBrowser.reset();
  db = openDb(`providers-pull-test-${++n}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const mailchimp = providerOf('mailchimp')!;
const brevo = providerOf('brevo')!;
const adobe = providerOf('adobe-campaign')!;

describe('Mailchimp, Brevo and Adobe Campaign descriptors', () => {
  it('saves Mailchimp’s data centre from the key, so only that host is asked for', () => {
    const config = configFromValues(mailchimp, { apiKey: MAILCHIMP_TEST_KEY });
    expect(config).toEqual({ dc: 'us6' });
    expect(mailchimp.origins(config)).toEqual(['https://us6.api.mailchimp.com/*']);
    expect(mailchimp.summary(config)).toBe('us6.api.mailchimp.com');
    // A base URL (proxy, test server) replaces the host.
    expect(requiredOrigins({ kind: 'mailchimp', config: { dc: 'us6', baseUrl: 'http://127.0.0.1:9/' } })).toEqual(['http://127.0.0.1:9/*']);
    // No key typed (editing): the saved data centre stays; none at all: every data centre.
    expect(configFromValues(mailchimp, { apiKey: '', dc: 'us19' })).toEqual({ dc: 'us19' });
    expect(mailchimp.origins({})).toEqual(['https://*.api.mailchimp.com/*']);
  });

  it('refuses a Mailchimp key without its data centre, and page sizes that are not whole numbers in range', () => {
    expect(validateProviderValues(mailchimp, { apiKey: '0123456789abcdef0123456789abcdef' })).toEqual({
      apiKey: { code: 'invalid', reason: expect.stringContaining('data centre') },
    });
    expect(validateProviderValues(mailchimp, { apiKey: MAILCHIMP_TEST_KEY, pageSize: 'many' })).toEqual({
      pageSize: { code: 'invalid', reason: 'not a whole number' },
    });
    expect(validateProviderValues(brevo, { apiKey: BREVO_TEST_KEY, pageSize: '9000' })).toEqual({
      pageSize: { code: 'invalid', reason: 'at most 5000' },
    });
    expect(configFromValues(brevo, { apiKey: BREVO_TEST_KEY, pageSize: ' 500 ', lookbackDays: '7' })).toEqual({ pageSize: 500, lookbackDays: 7 });
    expect(brevo.configSchema.parse(configFromValues(brevo, { apiKey: 'k' }))).toEqual({ lookbackDays: 30, pageSize: 2500 });
    expect(brevo.origins(brevo.configSchema.parse({}))).toEqual(['https://api.brevo.com/*']);
  });

  it('needs Adobe’s instance address, login and password; the address names the host, the login stays a secret', async () => {
    expect(validateProviderValues(adobe, {})).toEqual({
      instanceUrl: { code: 'required' },
      login: { code: 'required' },
      password: { code: 'required' },
    });
    expect(validateProviderValues(adobe, { instanceUrl: 'https://u:p@acme.campaign.adobe.com', login: 'l', password: 'p' })).toEqual({
      instanceUrl: { code: 'invalid', reason: 'no user or password in the URL' },
    });
    const row = await addProviderSource(db, {
      kind: 'adobe-campaign',
      label: 'Campaign',
      values: { instanceUrl: 'https://acme.campaign.adobe.com/', login: 'reader', password: 'pw' },
    });
    expect(row.config).toEqual({ instanceUrl: 'https://acme.campaign.adobe.com/', lookbackDays: 30, pageSize: 1000, persons: true });
    expect(JSON.stringify(row)).not.toContain('reader');
    expect(await getSecretFields(row.id)).toEqual({ login: 'reader', password: 'pw' });
    expect(requiredOrigins(row)).toEqual(['https://acme.campaign.adobe.com/*']);
    expect(adobe.summary(row.config)).toBe('acme.campaign.adobe.com');
  });

  it('keeps Mailchimp’s data centre and cursor when the source is edited without retyping the key', async () => {
    const row = await addProviderSource(db, { kind: 'mailchimp', label: 'MC', values: { apiKey: MAILCHIMP_TEST_KEY } });
    await db.sources.update(row.id, { cursor: '{"v":1,"seen":{}}' });
    const edited = await updateProviderSource(db, row.id, { label: 'MC 2', values: { apiKey: '', dc: 'us6' }, savedSecrets: ['apiKey'] });
    expect(edited.config).toMatchObject({ dc: 'us6' });
    expect(edited.cursor).toBe('{"v":1,"seen":{}}');
    expect(await getSecretFields(row.id)).toEqual({ apiKey: MAILCHIMP_TEST_KEY });
  });
});

describe('the workflow with Mailchimp, Brevo and Adobe Campaign sources', () => {
  // One clock for all three: Brevo's fixture days end on 2024-03-05; the others are placed before it.
  const NOW = Date.UTC(2024, 2, 5, 13);
  const mc = makeMailchimpDataset({ firstSend: NOW - 4 * 86_400_000, invalid: true });
  const bv = makeBrevoDataset({ invalid: true });
  const ab = makeAdobeDataset({ start: NOW - 3 * 86_400_000, invalid: true });
  let server: ProviderServer;
  beforeAll(async () => {
    server = await startProviderServer({ mailchimp: mc, brevo: bv, adobe: ab });
  });
  afterAll(() => server.close());

  it('reads each one with the secret fields the form saved, and stores what the fixtures hold', async () => {
    const a = await addProviderSource(db, { kind: 'mailchimp', label: 'MC', values: { apiKey: MAILCHIMP_TEST_KEY, baseUrl: server.origin, pageSize: '7' } });
    const b = await addProviderSource(db, { kind: 'brevo', label: 'BV', values: { apiKey: BREVO_TEST_KEY, baseUrl: server.origin, pageSize: '50' } });
    const c = await addProviderSource(db, {
      kind: 'adobe-campaign',
      label: 'AC',
      values: { instanceUrl: server.origin, login: ADOBE_LOGIN, password: ADOBE_PASSWORD, lookbackDays: '365', pageSize: '25' },
    });
    // Adobe's secret is two fields: the single `secret` a run also gets is only the first of them.
    expect(await getSecret(c.id)).toBe(ADOBE_LOGIN);
    let clock = NOW;
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
    // A warning, for the records the fixtures make invalid on purpose; nothing else.
    expect(run.status).toBe('warning');
    expect([...new Set(run.log.map((i) => i.code))]).toEqual(['rejected']);
    const by = (id: string) => run.sources.find((s) => s.sourceId === id)!;

    const mcWant = mailchimpExpected(mc);
    expect({ stored: by(a.id).stored, rejected: by(a.id).rejected }).toEqual({ stored: mcWant.opens + mcWant.clicks, rejected: mcWant.rejected });
    // Brevo's documented click is dated 2024-03-01 10:02+01:00: inside the first window like the rest.
    const bvWant = brevoExpected(bv.events);
    expect({ stored: by(b.id).stored, rejected: by(b.id).rejected }).toEqual({
      stored: bvWant.opens + bvWant.clicks + bvWant.optOuts,
      rejected: bvWant.rejected,
    });
    const abWant = adobeExpected(ab);
    expect({ stored: by(c.id).stored, rejected: by(c.id).rejected }).toEqual({
      stored: Object.values(abWant.byType).reduce((s, x) => s + x, 0),
      rejected: abWant.rejected,
    });

    // The requests carried the keys as each API wants them.
    expect(server.handlers.mailchimp!.state.requests.every((r) => r.status === 200)).toBe(true);
    expect(server.handlers.brevo!.state.requests.every((r) => r.headers['api-key'] === BREVO_TEST_KEY)).toBe(true);
    // Adobe logged on with both fields (a wrong or missing password would have failed the source).
    expect(server.handlers.adobe!.logons).toBeGreaterThan(0);
  });

  it('tests a connection by kind with short HTTP limits, and a wrong key says so', async () => {
    const adapters = createAdapters({ retries: 0, timeoutMs: 5_000 });
    const base = { fetch: globalThis.fetch, signal: new AbortController().signal, now: () => NOW, sleep: async () => undefined };
    const ok = await testSource(adapters.brevo, { ...base, config: brevo.configSchema.parse({ baseUrl: server.origin }), secret: undefined, secrets: { apiKey: BREVO_TEST_KEY } });
    expect(ok.events).toBeGreaterThan(0);
    await expect(
      testSource(adapters.mailchimp, {
        ...base,
        config: mailchimp.configSchema.parse({ baseUrl: server.origin }),
        secret: undefined,
        secrets: { apiKey: 'ffffffffffffffffffffffffffffffff-us6' },
      }),
    ).rejects.toMatchObject({ code: 'key-or-region-rejected' });
    await expect(
      testSource(adapters['adobe-campaign'], { ...base, config: adobe.configSchema.parse({ instanceUrl: server.origin }), secret: undefined, secrets: { login: ADOBE_LOGIN } }),
    ).rejects.toMatchObject({ code: 'credentials-missing', params: { field: 'password' } });
  });
});
