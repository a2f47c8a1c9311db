import { expect } from 'vitest';
import { SourceError, type EventInput, type FetchContext, type Page, type SourceAdapter } from '../../../../lib/sources/source';
import type { RunIssue } from '../../../../lib/workflow/issues';
import { eventList } from '../../../../lib/sources/packed-events';

/** A FetchContext for an adapter test: real fetch (to the fixture server), instant sleeps recorded, notes kept. */
export function providerContext(config: unknown, secrets: Record<string, string>, extra: Partial<FetchContext> = {}) {
  const waits: number[] = [];
  const notes: RunIssue[] = [];
  const ctx: FetchContext = {
    config,
    secret: Object.values(secrets)[0],
    secrets,
    cursor: null,
    fetch: globalThis.fetch,
    signal: new AbortController().signal,
    now: () => Date.UTC(2026, 10, 27, 12),
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    note: (issue) => notes.push(issue),
    ...extra,
  };
  return { ctx, waits, notes };
}

/** Pages like the workflow: from the cursor until done or the cursor stops moving. */
export async function readAll(adapter: SourceAdapter, ctx: FetchContext): Promise<{ pages: Page[]; cursor: string | null }> {
  const pages: Page[] = [];
  let cursor = ctx.cursor;
  for (let i = 0; i < 2000; i++) {
    const page = await adapter.fetchPage({ ...ctx, cursor });
    pages.push(page);
    const done = page.done || page.nextCursor === cursor;
    cursor = page.nextCursor;
    if (done) return { pages, cursor };
  }
  throw new Error('never ended');
}

export const eventsOf = (pages: Page[]): EventInput[] => pages.flatMap((p) => eventList(p.records.events));

/** Unique events by id (what the store's dedupe keeps). */
export function unique(events: EventInput[]): EventInput[] {
  return [...new Map(events.map((e) => [e.id, e])).values()];
}

/** Per delivery: total opens, clicks, opt-outs, distinct recipients and clickers, from unique events. */
export function countsOf(events: EventInput[]) {
  const out: Record<string, { opens: number; clicks: number; optOuts: number; recipients: number; clickers: number }> = {};
  const rcp = new Map<string, Set<string>>();
  const clk = new Map<string, Set<string>>();
  for (const e of unique(events)) {
    const c = (out[e.deliveryExtId] ??= { opens: 0, clicks: 0, optOuts: 0, recipients: 0, clickers: 0 });
    if (!rcp.has(e.deliveryExtId)) {
      rcp.set(e.deliveryExtId, new Set());
      clk.set(e.deliveryExtId, new Set());
    }
    rcp.get(e.deliveryExtId)!.add(e.recipient);
    if (e.type === 2) c.opens++;
    else if (e.type === 1) {
      c.clicks++;
      clk.get(e.deliveryExtId)!.add(e.recipient);
    }
    else if (e.type === 3) c.optOuts++;
  }
  for (const [d, c] of Object.entries(out)) {
    c.recipients = rcp.get(d)!.size;
    c.clickers = clk.get(d)!.size;
  }
  return out;
}

export async function failure(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected a SourceError');
}
