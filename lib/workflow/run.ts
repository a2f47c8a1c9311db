import type { RunRow, RunTrigger, SourceKind, SourceRow, SourceRunCounts, TrackingDb } from '../db/schema';
import { SourceError, type FetchContext, type Page, type SourceAdapter } from '../sources/source';
import { eventCount } from '../sources/packed-events';
import { ISSUE_CODES, isStorageFull, type IssueCode, type RunIssue } from './issues';
import { StoreWriter } from './store-writer';

/** At most this many rejected records are kept as samples in a run's log (the rest are counted). */
export const MAX_REJECTED_SAMPLES = 20;
/**
 * A run stops paging after this long and the next run goes on from the committed cursor: one extension event may
 * not take more than 5 minutes in an MV3 service worker (../shared/architecture.md).
 */
export const DEFAULT_MAX_RUN_MS = 4 * 60_000;

export interface WorkflowDeps {
  db: TrackingDb;
  adapters: Partial<Record<SourceKind, SourceAdapter>>;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  getSecret: (sourceId: string) => Promise<string | undefined>;
  /** All secret fields of a source by name (provider sources keep several); optional for sources with one. */
  getSecrets?: (sourceId: string) => Promise<Record<string, string>>;
  /** False when the extension may not reach the source (its origin's host permission was not granted). */
  canReach?: (source: SourceRow) => Promise<boolean>;
  maxRunMs?: number;
  signal?: AbortSignal;
}

/** Marks runs left 'running' by a worker that was stopped as interrupted. Call only while holding the run lock. */
export async function markInterruptedRuns(db: TrackingDb, now: number): Promise<number> {
  const stale = await db.runs.where('status').equals('running').toArray();
  for (const run of stale) {
    run.status = 'interrupted';
    run.endedAt = run.heartbeat;
    run.log.push({ level: 'warning', code: 'interrupted', params: {}, at: now });
    await db.runs.put(run);
  }
  return stale.length;
}

/**
 * One tracking workflow run: for each enabled source, fetch pages from its persisted cursor, and commit each page
 * with its cursor (StoreWriter). A failing source is logged and the others go on. The caller holds the run lock.
 */
export async function runWorkflow(deps: WorkflowDeps, trigger: RunTrigger): Promise<RunRow> {
  const { db, now } = deps;
  await markInterruptedRuns(db, now());
  // File sources are filled by imports (lib/import), not fetched: there is nothing to run for them.
  const sources = (await db.sources.toArray()).filter((s) => s.enabled && s.kind !== 'file');
  const startedAt = now();
  const run: RunRow = {
    trigger,
    startedAt,
    heartbeat: startedAt,
    status: 'running',
    sources: sources.map((s) => ({
      sourceId: s.id,
      label: s.label,
      kind: s.kind,
      pages: 0,
      fetched: 0,
      stored: 0,
      duplicates: 0,
      rejected: 0,
      ok: true,
      done: false,
    })),
    log: [],
    rejectedSamples: [],
  };
  const runId = (await db.runs.add(run)) as number;
  run.id = runId;
  const writer = new StoreWriter(db);
  // Aggregates a cut-off run left behind their segments are replayed first, whatever this run fetches.
  await writer.reconcile();
  await writer.finish();
  if (sources.length) writer.warm();
  const deadline = startedAt + (deps.maxRunMs ?? DEFAULT_MAX_RUN_MS);

  for (const [index, source] of sources.entries()) {
    const counts = run.sources[index]!;
    const before = counts.stored;
    const beforeDuplicates = counts.duplicates;
    const durable = writer.durable();
    let error: RunIssue | undefined;
    try {
      try {
        await runSource(deps, writer, run, source, counts, deadline);
      } finally {
        await writer.finish();
      }
    } catch (e) {
      counts.ok = false;
      // Every write has settled. Pages are counted when prepared, ahead of the write before them: after a failed
      // write (a full disk) the count keeps only what reached the store, not the page or two prepared behind it.
      const settled = writer.durable();
      counts.stored = before + settled.stored - durable.stored;
      counts.duplicates = beforeDuplicates + settled.duplicates - durable.duplicates;
      error = toIssue(e, source.id, now());
      run.log.push(error);
      run.heartbeat = now();
      await db.runs.put(run);
      if (deps.signal?.aborted) break;
    }
    await db.sources.update(source.id, {
      last: { runId, at: now(), ok: counts.ok, added: counts.stored - before, error },
    });
  }

  const failed = run.sources.some((s) => !s.ok);
  const warned =
    run.sources.some((s) => s.rejected > 0) || run.log.some((i) => i.level === 'warning' || i.level === 'error');
  run.status = failed ? 'error' : warned ? 'warning' : 'ok';
  run.endedAt = now();
  run.heartbeat = run.endedAt;
  await db.runs.put(run);
  return run;
}

async function runSource(
  deps: WorkflowDeps,
  writer: StoreWriter,
  run: RunRow,
  source: SourceRow,
  counts: SourceRunCounts,
  deadline: number,
): Promise<void> {
  const { db, now } = deps;
  const adapter = deps.adapters[source.kind];
  if (!adapter) throw new SourceError('config-invalid', { kind: source.kind });
  if (deps.canReach && !(await deps.canReach(source))) throw new SourceError('no-permission');
  const secret = await deps.getSecret(source.id);
  const secrets = deps.getSecrets ? await deps.getSecrets(source.id) : undefined;
  // The cursor is read back from the store: it is the one committed with the last whole page.
  let cursor = (await db.sources.get(source.id))?.cursor ?? null;
  let rejectedLogged: RunIssue | undefined;

  const fetchFrom = (from: string | null): Promise<Page> =>
    adapter.fetchPage({
      config: source.config,
      secret,
      secrets,
      cursor: from,
      fetch: deps.fetch,
      signal: deps.signal ?? new AbortController().signal,
      now,
      sleep: deps.sleep,
      note: (issue) => run.log.push({ ...issue, sourceId: source.id }),
    });

  let next = fetchFrom(cursor);
  for (;;) {
    const page: Page = await next;
    counts.pages++;
    counts.fetched += page.fetched;
    if (page.rejectedCount) {
      counts.rejected += page.rejectedCount;
      for (const r of page.rejected) {
        if (run.rejectedSamples.length >= MAX_REJECTED_SAMPLES) break;
        run.rejectedSamples.push({ sourceId: source.id, reason: r.reason, sample: r.sample });
      }
      if (!rejectedLogged) {
        rejectedLogged = { level: 'warning', code: 'rejected', params: { count: 0 }, sourceId: source.id, at: now() };
        run.log.push(rejectedLogged);
      }
      rejectedLogged.params = { count: counts.rejected };
    }
    const done = page.done || page.nextCursor === cursor;
    const overTime = !done && now() > deadline;
    // The next page is fetched and parsed while this one is written: IndexedDB commits off the main thread, so
    // the two overlap. Its cursor is only stored with it, after this page, so order and atomicity are unchanged.
    let following: Promise<Page> | undefined;
    if (!done && !overTime) {
      following = fetchFrom(page.nextCursor);
      following.catch(() => undefined); // handled when awaited; a failed commit must not leave it unhandled
    }
    await writer.commitPage(source, page, (outcome) => {
      counts.stored += outcome.stored;
      counts.duplicates += outcome.duplicates;
      counts.done = done;
      run.heartbeat = now();
      return run;
    });
    cursor = page.nextCursor;
    if (done) return;
    if (!following) {
      run.log.push({ level: 'warning', code: 'page-limit', params: {}, sourceId: source.id, at: now() });
      return;
    }
    next = following;
  }
}

function toIssue(e: unknown, sourceId: string, at: number): RunIssue {
  // Not a bug of ours: say what it is and what to do (a full disk), rather than "something went wrong".
  if (isStorageFull(e)) return { level: 'error', code: 'storage-full', params: {}, sourceId, at };
  if (e instanceof SourceError) {
    const code = (ISSUE_CODES as readonly string[]).includes(e.code) ? (e.code as IssueCode) : 'internal';
    const params = code === 'internal' ? { message: e.message.slice(0, 300) } : e.params;
    return { level: 'error', code, params, sourceId, at };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { level: 'error', code: 'internal', params: { message: message.slice(0, 300) }, sourceId, at };
}

/** "Test connection": fetch the first page of a source without storing anything, and say what it holds. */
export async function testSource(
  adapter: SourceAdapter,
  ctx: Omit<FetchContext, 'cursor' | 'note'>,
): Promise<{ deliveries: number; urls: number; events: number; rejected: number }> {
  const page = await adapter.fetchPage({ ...ctx, cursor: null, note: () => undefined });
  return {
    deliveries: page.records.deliveries.length,
    urls: page.records.urls.length,
    events: eventCount(page.records.events),
    rejected: page.rejectedCount,
  };
}
