import type { RunRow, SourceRow, SourceRunCounts, TrackingDb } from '../db/schema';
import type { Page, Rejection } from '../sources/source';
import { withRunLockWaiting } from '../workflow/lock';
import { isStorageFull } from '../workflow/issues';
import { MAX_REJECTED_SAMPLES } from '../workflow/run';
import { StoreWriter } from '../workflow/store-writer';
import { ImportBatch, ImportState } from './batch';
import { CsvChunker, mapCsvRow, parseCsvRows, type CsvMapping } from './csv';
import type { ImportFormat } from './detect';
import { mapFeedRecord } from './feed-file';
import { JsonRecordSplitter, RecordTooLargeError } from './json-splitter';
import { mapMailjet, parseKeepingBigInts } from './mailjet';
import { mapSendGrid } from './sendgrid';
import { mapSes } from './ses';

/**
 * Imports one file into the store, streamed: the file is read in slices (Blob.slice, never whole), decoded,
 * split into records (JSON: JsonRecordSplitter; CSV: CsvChunker + Papa Parse), mapped per format, and committed
 * in batches through the workflow's own StoreWriter, so dedupe, interning, segments and aggregates are exactly
 * those of a workflow run, and the import is recorded as a run (trigger 'import') with its counts and rejections.
 *
 * Where it runs: in the tracking view's page itself (it opens the same Dexie database). The page stays open while
 * the user watches the progress, a page has no 5-minute event limit as the MV3 service worker has, and a File
 * cannot be handed to the worker without reading it into a message. The background workflow and an import must
 * never write at once (StoreWriter caches ids and aggregates for its run), so the import holds the workflow's
 * Web Lock (lib/workflow/lock.ts) for its whole length and waits for a run that holds it.
 *
 * Sources: one `file` source per format (`file-sendgrid`, …). Dedupe is per source, so importing the same file
 * twice, or two exports that overlap (SendGrid retries for 24 h, so duplicates across files happen), stores each
 * event once, and a campaign split over several files is one delivery. The files imported are listed in the
 * source's config (name, size, when, counts).
 *
 * Cancel stops between slices or batches: the batch being built is dropped, the committed ones stay (each was
 * committed whole, with its aggregates), and importing the file again adds only what is missing.
 */

export const FILE_SOURCE_LABELS: Record<ImportFormat, string> = {
  sendgrid: 'SendGrid files',
  ses: 'Amazon SES files',
  mailjet: 'Mailjet files',
  feed: 'Tracking log feed files',
  csv: 'CSV files',
};

export function fileSourceId(format: ImportFormat): string {
  return `file-${format}`;
}

/** A file imported into a file source, as listed in its config (newest last, at most {@link MAX_FILES_LISTED}). */
export interface ImportedFile {
  name: string;
  size: number;
  at: number;
  runId: number;
  stored: number;
  duplicates: number;
  rejected: number;
  status: ImportStatus;
}
export const MAX_FILES_LISTED = 50;

export type ImportStatus = 'done' | 'cancelled' | 'failed';
/** Why an import failed, for a sentence on the page. */
export type ImportErrorCode = 'empty' | 'not-json' | 'record-too-large' | 'read-failed' | 'store-failed';

export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message?: string,
  ) {
    super(message ?? code);
    this.name = 'ImportError';
  }
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  /** Records read (events, skipped provider events and rejected records). */
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface ImportSummary extends ImportProgress {
  status: ImportStatus;
  error?: ImportErrorCode | undefined;
  runId: number;
  sourceId: string;
  /** Provider events that are not tracking events (delivered, bounce, …), by their name. */
  skipped: Record<string, number>;
  rejectedSamples: Rejection[];
  /** Deliveries the file had events for (store ids), for links from the summary. */
  deliveryIds: number[];
}

export interface ImportRequest {
  file: Blob;
  name: string;
  format: ImportFormat;
  /** Required for `csv`. */
  csv?: CsvMapping | undefined;
}

export interface ImportDeps {
  db: TrackingDb;
  now?: () => number;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Called when a workflow run holds the lock: the import waits for it to end. */
  onWait?: () => void;
  /** Events per committed batch (a page of the StoreWriter). */
  batchEvents?: number;
  /** Bytes read per slice of the file. */
  sliceBytes?: number;
}

/** Events per commit: large enough that a commit's fixed cost is small, small enough to keep memory flat. */
export const DEFAULT_BATCH_EVENTS = 25_000;
export const DEFAULT_SLICE_BYTES = 4 * 1024 * 1024;

type Mapper = (rec: unknown, raw: string, batch: ImportBatch, state: ImportState) => void;
const JSON_FORMATS: Record<Exclude<ImportFormat, 'csv'>, { parse: (text: string) => unknown; map: Mapper }> = {
  sendgrid: { parse: (text) => JSON.parse(text), map: mapSendGrid },
  ses: { parse: (text) => JSON.parse(text), map: mapSes },
  mailjet: { parse: parseKeepingBigInts, map: mapMailjet },
  feed: { parse: (text) => JSON.parse(text), map: mapFeedRecord },
};

/** Reads `file` in slices of `sliceBytes`, decoded as UTF-8 (a character split between slices is kept whole). */
export async function* readTextSlices(
  file: Blob,
  sliceBytes: number = DEFAULT_SLICE_BYTES,
): AsyncGenerator<{ text: string; bytesRead: number }> {
  // fatal: false — a stray invalid byte becomes U+FFFD in its record rather than failing the whole file.
  const decoder = new TextDecoder('utf-8');
  for (let offset = 0; offset < file.size; offset += sliceBytes) {
    const end = Math.min(file.size, offset + sliceBytes);
    const bytes = await file.slice(offset, end).arrayBuffer();
    yield { text: decoder.decode(bytes, { stream: end < file.size }), bytesRead: end };
  }
}

/** Imports a file (see the module comment). Resolves with a summary, also when cancelled or failed midway. */
export async function importFile(request: ImportRequest, deps: ImportDeps): Promise<ImportSummary> {
  if (request.file.size === 0) throw new ImportError('empty');
  if (request.format === 'csv' && !request.csv) throw new Error('A CSV import needs a column mapping');
  return withRunLockWaiting(() => runImport(request, deps), { signal: deps.signal, onWait: deps.onWait });
}

async function ensureSource(db: TrackingDb, format: ImportFormat, now: number): Promise<SourceRow> {
  const id = fileSourceId(format);
  return db.transaction('rw', db.sources, async () => {
    const existing = await db.sources.get(id);
    if (existing) return existing;
    const row: SourceRow = {
      id,
      kind: 'file',
      label: FILE_SOURCE_LABELS[format],
      enabled: true,
      config: { format, files: [] },
      cursor: null,
      createdAt: now,
    };
    await db.sources.add(row);
    return row;
  });
}

async function runImport(request: ImportRequest, deps: ImportDeps): Promise<ImportSummary> {
  const { db, signal } = deps;
  const now = deps.now ?? Date.now;
  const batchEvents = deps.batchEvents ?? DEFAULT_BATCH_EVENTS;
  const source = await ensureSource(db, request.format, now());
  const counts: SourceRunCounts = {
    sourceId: source.id,
    label: source.label,
    kind: 'file',
    pages: 0,
    fetched: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    ok: true,
    done: false,
  };
  const startedAt = now();
  const run: RunRow = {
    trigger: 'import',
    startedAt,
    heartbeat: startedAt,
    status: 'running',
    sources: [counts],
    log: [],
    rejectedSamples: [],
  };
  const runId = (await db.runs.add(run)) as number;
  run.id = runId;
  const writer = new StoreWriter(db);
  // As a workflow run does: aggregates a cut-off run left behind their segments are replayed first.
  await writer.reconcile();
  await writer.finish();

  const state = new ImportState({ extId: `file:${request.name.slice(0, 150)}`, label: request.name.slice(0, 500) });
  const skipped: Record<string, number> = {};
  const progress: ImportProgress = {
    bytesRead: 0,
    totalBytes: request.file.size,
    records: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
  };
  let batch = new ImportBatch(MAX_REJECTED_SAMPLES, { packed: true });
  let notJson = 0;
  let committedAny = false;

  const commit = async (done: boolean): Promise<void> => {
    const b = batch;
    batch = new ImportBatch(MAX_REJECTED_SAMPLES, { packed: true });
    // A file that is mostly not JSON is not this format at all: say so rather than import its few lucky lines.
    if (!committedAny && notJson * 2 > b.seen) throw new ImportError('not-json');
    committedAny = true;
    for (const [what, n] of b.skipped) skipped[what] = (skipped[what] ?? 0) + n;
    for (const r of b.rejected) {
      if (run.rejectedSamples.length >= MAX_REJECTED_SAMPLES) break;
      run.rejectedSamples.push({ sourceId: source.id, reason: r.reason, sample: r.sample });
    }
    counts.rejected += b.rejectedCount;
    counts.fetched += b.seen;
    const page: Page = {
      records: b.records,
      rejected: b.rejected,
      rejectedCount: b.rejectedCount,
      nextCursor: null,
      done,
      fetched: b.seen,
    };
    await writer.commitPage(source, page, (outcome) => {
      counts.pages++;
      counts.stored += outcome.stored;
      counts.duplicates += outcome.duplicates;
      counts.done = done;
      run.heartbeat = now();
      return run;
    });
    progress.stored = counts.stored;
    progress.duplicates = counts.duplicates;
  };

  let status: ImportStatus = 'done';
  let error: ImportErrorCode | undefined;
  /** The store failed for want of room (a full disk): said so in the run log. */
  let full = false;
  try {
    if (request.format === 'csv') {
      const mapping = request.csv!;
      const chunker = new CsvChunker();
      let width = -1;
      const rows = async (block: string): Promise<void> => {
        for (const cells of parseCsvRows(block, mapping.delimiter)) {
          if (width === -1) {
            width = cells.length; // the header row
            continue;
          }
          batch.seen++;
          progress.records++;
          mapCsvRow(cells, width, mapping, batch, state);
          if (batch.eventCount >= batchEvents) {
            await commit(false);
            if (signal?.aborted) return;
          }
        }
      };
      let first = true;
      for await (const slice of readTextSlices(request.file, deps.sliceBytes)) {
        if (signal?.aborted) break;
        const text = first ? slice.text.replace(/^\uFEFF/, '') : slice.text;
        first = false;
        await rows(chunker.push(text));
        progress.bytesRead = slice.bytesRead;
        progress.rejected = counts.rejected + batch.rejectedCount;
        deps.onProgress?.({ ...progress });
      }
      if (!signal?.aborted) await rows(chunker.end());
    } else {
      const format = JSON_FORMATS[request.format];
      const splitter = new JsonRecordSplitter();
      const records = async (texts: string[]): Promise<void> => {
        for (const text of texts) {
          batch.seen++;
          progress.records++;
          let rec: unknown;
          try {
            rec = format.parse(text);
          } catch {
            notJson++;
            batch.reject('not valid JSON', text);
            continue;
          }
          format.map(rec, text, batch, state);
          if (batch.eventCount >= batchEvents) {
            await commit(false);
            if (signal?.aborted) return;
          }
        }
      };
      for await (const slice of readTextSlices(request.file, deps.sliceBytes)) {
        if (signal?.aborted) break;
        await records(splitter.push(slice.text));
        progress.bytesRead = slice.bytesRead;
        progress.rejected = counts.rejected + batch.rejectedCount;
        deps.onProgress?.({ ...progress });
      }
      if (!signal?.aborted) {
        const last = splitter.end();
        await records(last.records);
        if (last.truncated !== undefined) {
          batch.seen++;
          progress.records++;
          batch.reject('the file ends inside this record (cut off?)', last.truncated);
        }
      }
    }
    if (signal?.aborted) status = 'cancelled';
    else await commit(true);
    await writer.finish();
  } catch (e) {
    status = 'failed';
    full = isStorageFull(e);
    error =
      e instanceof ImportError
        ? e.code
        : e instanceof RecordTooLargeError
          ? 'record-too-large'
          : e instanceof DOMException && e.name === 'NotReadableError'
            ? 'read-failed'
            : 'store-failed';
    if (error === 'store-failed') console.error('Tracking Logs: import failed', e);
    // What was committed stays; its aggregates are saved if the store still answers.
    await writer.finish().catch(() => undefined);
    // Every write has settled: count what reached the store, not the batches prepared behind a failed write.
    const stored = writer.durable();
    counts.stored = stored.stored;
    counts.duplicates = stored.duplicates;
  }

  const end = now();
  counts.done = status === 'done';
  if (status === 'cancelled') {
    run.log.push({ level: 'warning', code: 'import-cancelled', params: { name: request.name }, sourceId: source.id, at: end });
  } else if (status === 'failed') {
    counts.ok = false;
    run.log.push(
      error === 'not-json' || error === 'record-too-large'
        ? { level: 'error', code: 'unparseable', params: { detail: request.name }, sourceId: source.id, at: end }
        : full
          ? { level: 'error', code: 'storage-full', params: {}, sourceId: source.id, at: end }
          : { level: 'error', code: 'internal', params: { message: `import ${error ?? ''}` }, sourceId: source.id, at: end },
    );
  }
  if (counts.rejected > 0) {
    run.log.push({ level: 'warning', code: 'rejected', params: { count: counts.rejected }, sourceId: source.id, at: end });
  }
  run.status = status === 'failed' ? 'error' : status === 'cancelled' || counts.rejected > 0 ? 'warning' : 'ok';
  run.endedAt = end;
  run.heartbeat = end;

  const touched = [...state.touched];
  const deliveryIds = touched.length
    ? ((await db.deliveries
        .where('[sourceId+extId]')
        .anyOf(touched.map((extId) => [source.id, extId]))
        .primaryKeys()) as number[])
    : [];
  const file: ImportedFile = {
    name: request.name,
    size: request.file.size,
    at: end,
    runId,
    stored: counts.stored,
    duplicates: counts.duplicates,
    rejected: counts.rejected,
    status,
  };
  await db.transaction('rw', db.runs, db.sources, async () => {
    await db.runs.put(run);
    const row = await db.sources.get(source.id);
    if (row) {
      const files = Array.isArray(row.config['files']) ? (row.config['files'] as ImportedFile[]) : [];
      await db.sources.update(source.id, {
        config: { ...row.config, files: [...files, file].slice(-MAX_FILES_LISTED) },
        last: { runId, at: end, ok: counts.ok, added: counts.stored },
      });
    }
  });

  progress.stored = counts.stored;
  progress.duplicates = counts.duplicates;
  progress.rejected = counts.rejected;
  return {
    ...progress,
    status,
    error,
    runId,
    sourceId: source.id,
    skipped,
    rejectedSamples: run.rejectedSamples.map((r) => ({ reason: r.reason, sample: r.sample })),
    deliveryIds,
  };
}
