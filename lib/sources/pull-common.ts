import type { z } from 'zod';
import { MAX_REJECTED_SAMPLES_PER_PAGE, SAMPLE_CHARS } from './feed-format';
import { hash53 } from '../workflow/hash';
import { SourceError, type FetchContext, type Rejection } from './source';

/**
 * Pieces shared by the pull adapters of ESP APIs (lib/sources/mailchimp.ts, brevo.ts, adobe.ts): reading the
 * config and the secret, collecting rejected records, reading the body of an error answer, the test-connection
 * summary.
 */

/** What "Test connection" shows: who answered and what the account holds. */
export interface ConnectionSummary {
  /** The host that answered (never a path or query, which may hold a key). */
  host: string;
  /** The account's name as the provider gives it, when it does. Untrusted text: show as plain text. */
  account?: string | undefined;
  /** Deliveries (campaigns, templates, deliveries) the first look found. */
  deliveries?: number | undefined;
  /** Events the first look found. */
  events?: number | undefined;
}

/** Parses a source's config with its schema; a wrong field becomes `config-invalid` naming the field. */
export function parseSourceConfig<S extends z.ZodType>(schema: S, config: unknown): z.output<S> {
  const r = schema.safeParse(config ?? {});
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const field = iss ? iss.path.map(String).join('.') : '';
  throw new SourceError('config-invalid', field ? { field } : {}, `config-invalid: ${field || 'config'}`);
}

/**
 * The secret's fields. A secret is stored as one string (lib/sources/secrets.ts); the ESP adapters store a JSON
 * object of their secret fields in it (e.g. `{"apiKey":"…"}`). A secret that is not a JSON object is taken as the
 * value of `bareField` (a pasted API key), when the adapter has one.
 * Missing → `credentials-missing`; unreadable or lacking a required field → `credentials-invalid` naming the field.
 * The secret's value never goes into an error.
 */
export function readSecret<S extends z.ZodType>(schema: S, secret: string | undefined, bareField?: string): z.output<S> {
  const text = secret?.trim();
  if (!text) throw new SourceError('credentials-missing', {}, 'credentials-missing');
  let value: unknown;
  if (text.startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new SourceError('credentials-invalid', { field: 'JSON' }, 'credentials-invalid: not JSON');
    }
  } else if (bareField) {
    value = { [bareField]: text };
  } else {
    throw new SourceError('credentials-invalid', { field: 'JSON' }, 'credentials-invalid: not a JSON object');
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const iss = r.error.issues[0];
  const field = iss ? iss.path.map(String).join('.') : '';
  throw new SourceError('credentials-invalid', { field }, `credentials-invalid: ${field}`);
}

/**
 * The secret of a source as the adapter's schema wants it. A provider source added through the form has its secret
 * fields as an object (`FetchContext.secrets`, e.g. `{ apiKey }` or `{ login, password }`; lib/sources/secrets.ts),
 * which is read first, as mailgun.ts does. Otherwise the single `FetchContext.secret` string is read by
 * {@link readSecret} (a JSON object of the fields, or the bare key as `bareField`).
 * A field missing from the object → `credentials-missing`; a field of the wrong shape → `credentials-invalid`
 * naming it. The values never go into an error.
 */
export function secretFieldsFor<S extends z.ZodType>(
  schema: S,
  ctx: Pick<FetchContext, 'secret' | 'secrets'>,
  bareField?: string,
): z.output<S> {
  const fields = ctx.secrets;
  // `{ secret }` alone is how getSecretFields answers a source whose secret was saved as one string.
  const names = fields ? Object.keys(fields) : [];
  if (fields && names.length > 0 && !(names.length === 1 && names[0] === 'secret')) {
    const r = schema.safeParse(fields);
    if (r.success) return r.data;
    const iss = r.error.issues[0];
    const field = iss ? iss.path.map(String).join('.') : '';
    if (field && !(field in fields)) throw new SourceError('credentials-missing', { field }, `credentials-missing: ${field}`);
    throw new SourceError('credentials-invalid', { field }, `credentials-invalid: ${field}`);
  }
  return readSecret(schema, ctx.secret, bareField);
}

/** Collects a page's rejected records: all counted, the first few kept with their reason and a short excerpt. */
export class RejectionLog {
  readonly samples: Rejection[] = [];
  count = 0;

  add(reason: string, record: unknown): void {
    this.count++;
    if (this.samples.length >= MAX_REJECTED_SAMPLES_PER_PAGE) return;
    let sample: string;
    try {
      sample = typeof record === 'string' ? record : (JSON.stringify(record) ?? String(record));
    } catch {
      sample = String(record);
    }
    this.samples.push({ reason: reason.slice(0, 300), sample: sample.slice(0, SAMPLE_CHARS) });
  }

  /** Adds a zod failure as `path: message` (the first issue). */
  addZod(error: z.ZodError, record: unknown, prefix = ''): void {
    const iss = error.issues[0];
    const path = iss ? iss.path.map(String).join('.') : '';
    this.add(`${prefix}${path ? `${path}: ` : ''}${iss?.message ?? 'invalid'}`, record);
  }
}

/** Largest error body kept for mapping a provider's error answer to a message. */
const ERROR_BODY_CHARS = 4_000;

/**
 * A fetch that keeps the body of the last non-2xx answer (fetchWithRetry discards it), so an adapter can tell a
 * wrong key from a blocked IP address or a wrong data centre. The body is only matched against, never logged.
 */
export function capturingFetch(fetch: typeof globalThis.fetch): { fetch: typeof globalThis.fetch; lastErrorBody: () => string } {
  let last = '';
  const wrapped: typeof globalThis.fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.ok) return response;
    last = '';
    try {
      last = (await response.clone().text()).slice(0, ERROR_BODY_CHARS);
    } catch {
      // A body that cannot be read says nothing more than the status.
    }
    return response;
  };
  return { fetch: wrapped, lastErrorBody: () => last };
}

/** A short stable token for a long string in a derived id (a URL in an event id). */
export function shortHash(text: string): string {
  return hash53(text).toString(36);
}

/**
 * The tracked-URL id used for a URL when the provider gives none the events carry: the URL itself when it fits
 * an id (≤ 200 chars), else `#` + its hash. Events and URL records use the same function, so they meet.
 */
export function urlKey(url: string): string {
  return url.length <= 200 ? url : `#${hash53(url).toString(36)}-${url.length}`;
}

/** `YYYY-MM-DD` of an epoch-ms time, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const HREF = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** Decodes the few character references an href holds in practice (`&amp;`, `&#38;`, `&#x26;`, quotes). */
function decodeAttr(value: string): string {
  return value.replace(/&(amp|quot|apos|lt|gt|#\d+|#x[0-9a-f]+);/gi, (m, name: string) => {
    const n = name.toLowerCase();
    if (n === 'amp') return '&';
    if (n === 'quot') return '"';
    if (n === 'apos') return "'";
    if (n === 'lt') return '<';
    if (n === 'gt') return '>';
    const code = n.startsWith('#x') ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
  });
}

/**
 * The href of each `<a>` of an HTML document, in document order (a text scan: the service worker has no
 * DOMParser, and the HTML is never rendered here). The index of a URL in this list is a tracked URL's occurrence.
 */
export function anchorHrefs(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(HREF)) out.push(decodeAttr((m[1] ?? m[2] ?? m[3] ?? '').trim()));
  return out;
}

/** What a test-connection function needs: a fetch context without a cursor; notes (retries) may be dropped. */
export type ConnectionContext = Omit<FetchContext, 'cursor' | 'note'> & { note?: FetchContext['note'] | undefined };

/** The fetch-related part of a context, with `note` filled in. */
export function withNote(ctx: ConnectionContext): Omit<FetchContext, 'cursor'> {
  return { ...ctx, note: ctx.note ?? (() => undefined) };
}

/** Parses a JSON body; a body that is not JSON is `unparseable` (e.g. an HTML sign-in page from a proxy). */
export function parseJsonBody(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    const looksHtml = /^\s*</.test(body);
    throw new SourceError(
      'unparseable',
      { detail: `${what}: ${looksHtml ? 'an HTML page instead of JSON' : 'not JSON'}` },
      `unparseable: ${what}`,
    );
  }
}
