import { describe, expect, it } from 'vitest';
import { fetchWithRetry, type FetchWithRetryArgs } from '../../../../lib/sources/http';
import { SourceError } from '../../../../lib/sources/source';
import type { RunIssue } from '../../../../lib/workflow/issues';

const TOKEN = 'tok_live_SECRET123';
const URL_WITH_KEY = 'https://feed.example.com/v1/logs?api_key=KEY456&x=1';
const NOW = Date.UTC(2026, 10, 20, 12);

type Step = Response | Error | 'hang';

/** A fetch that answers from a script, records calls; 'hang' waits until the request is aborted. */
function scripted(...steps: Step[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch: typeof globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init });
    const step = steps.length > 1 ? steps.shift()! : steps[0]!;
    if (step === 'hang') {
      return new Promise((_, reject) => {
        const signal = init?.signal;
        if (!signal) return;
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    if (step instanceof Error) return Promise.reject(step);
    return Promise.resolve(step.clone());
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

function args(fetch: typeof globalThis.fetch, extra: Partial<FetchWithRetryArgs> = {}) {
  const waits: number[] = [];
  const notes: RunIssue[] = [];
  let clock = NOW;
  const a: FetchWithRetryArgs = {
    fetch,
    url: URL_WITH_KEY,
    init: { headers: { Authorization: `Bearer ${TOKEN}` } },
    signal: new AbortController().signal,
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    note: (issue) => notes.push(issue),
    ...extra,
  };
  return { a, waits, notes };
}

const status = (code: number, headers: Record<string, string> = {}) => new Response(code === 204 ? null : 'x', { status: code, headers });
const ok = (body = 'hello') => new Response(body, { status: 200, headers: { 'Content-Type': 'text/plain' } });

async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}

function expectNoSecrets(...things: unknown[]): void {
  for (const t of things) {
    const text = JSON.stringify(t, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v));
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('KEY456');
    expect(text).not.toContain('Bearer');
  }
}

describe('fetchWithRetry', () => {
  it('returns the body and its size, sends the headers, one request', async () => {
    const { fetch, calls } = scripted(ok('héllo'));
    const { a, waits } = args(fetch);
    const r = await fetchWithRetry(a);
    expect(r.body).toBe('héllo');
    expect(r.bytes).toBe(6);
    expect(r.response.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(URL_WITH_KEY);
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]!.init?.signal).toBeInstanceOf(AbortSignal);
    expect(waits).toEqual([]);
  });

  it('retries a 429 after the Retry-After seconds and notes it', async () => {
    const { fetch, calls } = scripted(status(429, { 'Retry-After': '3' }), ok());
    const { a, waits, notes } = args(fetch);
    expect((await fetchWithRetry(a)).body).toBe('hello');
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([3000]);
    expect(notes).toEqual([{ level: 'info', code: 'retrying', params: { status: 429, waitSeconds: 3, attempt: 2 }, at: NOW }]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(NOW + 5000).toUTCString();
    const { fetch } = scripted(status(429, { 'Retry-After': at }), ok());
    const { a, waits } = args(fetch);
    await fetchWithRetry(a);
    expect(waits).toEqual([5000]);
  });

  it('gives up at once with rate-limited when Retry-After asks for more than 60 s, and says when', async () => {
    const { fetch, calls } = scripted(status(429, { 'Retry-After': '3600' }), ok());
    const { a, waits } = args(fetch);
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('rate-limited');
    expect(e.params.retryAfterSeconds).toBe(3600);
    expect(e.params.retryAt).toBe(new Date(NOW + 3_600_000).toISOString());
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('backs off 1, 2, 4, 8 s on 429 without Retry-After, then fails rate-limited', async () => {
    const { fetch, calls } = scripted(status(429));
    const { a, waits, notes } = args(fetch);
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('rate-limited');
    expect(typeof e.params.retryAfterSeconds).toBe('number');
    expect(calls).toHaveLength(5);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(notes.map((n) => n.params.attempt)).toEqual([2, 3, 4, 5]);
  });

  it('caps the total wait at 60 s', async () => {
    const { fetch, calls } = scripted(status(429, { 'Retry-After': '30' }));
    const { a, waits } = args(fetch);
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('rate-limited');
    expect(waits).toEqual([30_000, 30_000]);
    expect(calls).toHaveLength(3);
  });

  it('retries 5xx and succeeds', async () => {
    const { fetch, calls } = scripted(status(503), status(502), ok('fine'));
    const { a, waits, notes } = args(fetch);
    expect((await fetchWithRetry(a)).body).toBe('fine');
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
    expect(notes.map((n) => n.params.status)).toEqual([503, 502]);
  });

  it('fails server-error with the status after all retries', async () => {
    const { fetch, calls } = scripted(status(500));
    const { a } = args(fetch, { retries: 2 });
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('server-error');
    expect(e.params.status).toBe(500);
    expect(calls).toHaveLength(3);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [400, 'http-error'],
    [418, 'http-error'],
  ])('fails %i as %s without retrying', async (code, expected) => {
    const { fetch, calls } = scripted(status(code), ok());
    const { a, waits, notes } = args(fetch);
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe(expected);
    if (expected === 'http-error') expect(e.params.status).toBe(code);
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
    expectNoSecrets(e, e.params, e.message, notes);
  });

  it('times out each attempt, retries, then fails timeout', async () => {
    const { fetch, calls } = scripted('hang');
    const { a, waits, notes } = args(fetch, { timeoutMs: 20, retries: 2 });
    const started = Date.now();
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('timeout');
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
    expect(notes.map((n) => n.params.reason)).toEqual(['timeout', 'timeout']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('recovers when a retry after a timeout answers', async () => {
    const { fetch } = scripted('hang', ok('late'));
    const { a } = args(fetch, { timeoutMs: 20 });
    expect((await fetchWithRetry(a)).body).toBe('late');
  });

  it('retries network errors and fails network with the host only', async () => {
    const { fetch, calls } = scripted(new TypeError('fetch failed'));
    const { a, notes } = args(fetch);
    const e = await failure(fetchWithRetry(a));
    expect(e.code).toBe('network');
    expect(e.params).toEqual({ host: 'feed.example.com' });
    expect(calls).toHaveLength(5);
    expect(notes[0]!.params).toEqual({ reason: 'network', waitSeconds: 1, attempt: 2 });
    expectNoSecrets(e, e.message, notes);
  });

  it('never puts the token or the URL query in errors or notes', async () => {
    for (const steps of [[status(429)], [status(500)], [new TypeError('fetch failed')], [status(401)]] as Step[][]) {
      const { fetch } = scripted(...steps);
      const { a, notes } = args(fetch);
      const e = await failure(fetchWithRetry(a));
      expectNoSecrets(e, e.params, e.message, e.stack, notes);
    }
  });

  it("stops at once when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const { fetch, calls } = scripted('hang');
    const { a, waits } = args(fetch, { signal: controller.signal });
    const p = fetchWithRetry(a);
    controller.abort(new Error('worker stopping'));
    await expect(p).rejects.toThrow('worker stopping');
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not start when already aborted', async () => {
    const { fetch, calls } = scripted(ok());
    const { a } = args(fetch, { signal: AbortSignal.abort() });
    await expect(fetchWithRetry(a)).rejects.toThrow();
    expect(calls).toHaveLength(0);
  });
});
