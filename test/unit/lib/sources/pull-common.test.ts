import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { issueText } from '../../../../lib/i18n';
import { MAX_REJECTED_SAMPLES_PER_PAGE } from '../../../../lib/sources/feed-format';
import { anchorHrefs, readSecret, RejectionLog, secretFieldsFor, urlKey } from '../../../../lib/sources/pull-common';
import { SourceError } from '../../../../lib/sources/source';
import { ISSUE_CODES } from '../../../../lib/workflow/issues';
import { installI18n } from '../../helpers/fake-i18n';

const schema = z.object({ apiKey: z.string().min(3) });

function thrown(f: () => unknown): SourceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

describe('secretFieldsFor', () => {
  const pair = z.object({ login: z.string().min(1), password: z.string() });
  it('reads the secret fields object first, as the source form saves it, else the single secret', () => {
    expect(secretFieldsFor(pair, { secret: 'me', secrets: { login: 'me', password: 'pw' } })).toEqual({ login: 'me', password: 'pw' });
    expect(secretFieldsFor(schema, { secret: 'abcdef', secrets: {} }, 'apiKey')).toEqual({ apiKey: 'abcdef' });
    // A secret saved as one string comes back from getSecretFields as `{ secret }`: read as the single secret.
    expect(secretFieldsFor(schema, { secret: '{"apiKey":"abc"}', secrets: { secret: '{"apiKey":"abc"}' } }, 'apiKey')).toEqual({ apiKey: 'abc' });
  });

  it('names a missing or wrong field without its value', () => {
    const missing = thrown(() => secretFieldsFor(pair, { secret: 'me', secrets: { login: 'me' } }));
    expect([missing.code, missing.params]).toEqual(['credentials-missing', { field: 'password' }]);
    const wrong = thrown(() => secretFieldsFor(schema, { secret: 'zq', secrets: { apiKey: 'zq' } }, 'apiKey'));
    expect([wrong.code, wrong.params]).toEqual(['credentials-invalid', { field: 'apiKey' }]);
    expect(wrong.message).not.toContain('zq');
  });
});

describe('readSecret', () => {
  it('reads a JSON object of secret fields, or a bare key', () => {
    expect(readSecret(schema, '{"apiKey":"abc"}', 'apiKey')).toEqual({ apiKey: 'abc' });
    expect(readSecret(schema, '  abcdef  ', 'apiKey')).toEqual({ apiKey: 'abcdef' });
  });

  it('names what is wrong without repeating the secret', () => {
    expect(thrown(() => readSecret(schema, undefined)).code).toBe('credentials-missing');
    expect(thrown(() => readSecret(schema, '   ')).code).toBe('credentials-missing');
    const bad = thrown(() => readSecret(schema, '{"apiKey":"s3cr3t-but-broken'));
    expect(bad.code).toBe('credentials-invalid');
    expect(bad.message + JSON.stringify(bad.params)).not.toContain('s3cr3t');
    expect(thrown(() => readSecret(schema, '{"apiKey":"x"}')).params).toEqual({ field: 'apiKey' });
    expect(thrown(() => readSecret(schema, 'bare-without-field')).code).toBe('credentials-invalid');
  });
});

describe('RejectionLog', () => {
  it('counts every rejection and keeps a few short samples with reasons', () => {
    const log = new RejectionLog();
    for (let i = 0; i < 50; i++) log.add(`reason ${i}`, { i, pad: 'x'.repeat(1000) });
    expect(log.count).toBe(50);
    expect(log.samples).toHaveLength(MAX_REJECTED_SAMPLES_PER_PAGE);
    expect(log.samples[0]!.reason).toBe('reason 0');
    expect(log.samples[0]!.sample.length).toBeLessThanOrEqual(300);
  });
});

describe('links', () => {
  it('lists anchor hrefs in order, decoding character references', () => {
    const html = `<p><a class="x" href="https://a.example/?x=1&amp;y=2">A</a><A HREF='https://b.example/'>B</A>
      <a name="top">no href</a><a href=https://c.example/#&#x41;>C</a><link href="https://not-an-anchor/"></p>`;
    expect(anchorHrefs(html)).toEqual(['https://a.example/?x=1&y=2', 'https://b.example/', 'https://c.example/#A']);
  });

  it('uses the URL as its own id when it fits, a stable hash when it does not', () => {
    expect(urlKey('https://a.example/')).toBe('https://a.example/');
    const long = `https://a.example/${'x'.repeat(300)}`;
    expect(urlKey(long)).toBe(urlKey(long));
    expect(urlKey(long).length).toBeLessThanOrEqual(200);
    expect(urlKey(long)).not.toBe(urlKey(`${long}y`));
  });
});

describe('ESP issue codes', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  const codes = [
    'credentials-missing',
    'credentials-invalid',
    'key-or-region-rejected',
    'ip-not-allowed',
    'login-failed',
    'wrong-instance',
    'operator-lacks-right',
    'soap-fault',
  ] as const;

  it('are run-log codes with English and Swedish messages that fill in their parameters', () => {
    for (const code of codes) expect(ISSUE_CODES).toContain(code);
    installI18n('en');
    expect(issueText({ code: 'key-or-region-rejected', params: { host: 'us6.api.mailchimp.com' } })).toMatch(/^us6\.api\.mailchimp\.com refused the API key/);
    expect(issueText({ code: 'soap-fault', params: { detail: 'XSV-350008 <b>x</b>' } })).toBe('Adobe Campaign reported an error: XSV-350008 <b>x</b>');
    installI18n('sv');
    expect(issueText({ code: 'wrong-instance', params: { host: 'acme.example' } })).toMatch(/^acme\.example svarade, men inte som en Adobe Campaign-instans/);
    expect(issueText({ code: 'credentials-invalid', params: { field: 'apiKey' } })).toContain('(apiKey)');
  });
});
