import { describe, expect, it } from 'vitest';
import type { TrackingDb } from '../../../../lib/db/schema';
import { importFile, ImportError, type ImportProgress } from '../../../../lib/import/run-import';
import { withRunLock } from '../../../../lib/workflow/lock';
import { runWorkflow } from '../../../../lib/workflow/run';
import { deps, freshDb } from '../workflow/helpers';

const T0 = Date.UTC(2026, 10, 20, 9) / 1000;

/** A SendGrid Event Webhook export of `n` records: opens, clicks (some with url_offset), a few delivered. */
function sendGridFile(n: number): { text: string; events: number; machine: number } {
  const records: Record<string, unknown>[] = [];
  let events = 0;
  let machine = 0;
  for (let i = 0; i < n; i++) {
    const kind = i % 10 === 9 ? 'delivered' : i % 3 === 0 ? 'click' : 'open';
    if (kind !== 'delivered') events++;
    if (kind === 'open' && i % 4 === 0) machine++;
    records.push({
      email: `r${i % 37}@example.com`,
      timestamp: T0 + i * 7,
      event: kind,
      category: i % 2 ? 'cat facts' : ['dog facts', 'weekly'],
      sg_event_id: `ev-${i}-"quoted"\\`,
      sg_message_id: `msg-${i % 37}.filter0001`,
      useragent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_4) AppleWebKit/537.36',
      ip: '24.130.34.103',
      ...(kind === 'click' ? { url: `https://example.com/é/${i % 4}`, url_offset: { index: i % 2, type: 'html' } } : {}),
      ...(kind === 'open' && i % 4 === 0 ? { sg_machine_open: true } : {}),
    });
  }
  return { text: `\uFEFF${JSON.stringify(records, null, 1)}`, events, machine };
}

async function storedEvents(db: TrackingDb): Promise<number> {
  return (await db.segments.toArray()).reduce((n, s) => n + s.n, 0);
}

async function totalsSum(db: TrackingDb): Promise<number> {
  return (await db.totals.toArray()).reduce((n, t) => n + t.totals.events, 0);
}

describe('file import', () => {
  it('streams a SendGrid file in small slices into a file source and records the import as a run', async () => {
    const db = freshDb();
    const { text, events, machine } = sendGridFile(3000);
    const file = new Blob([text]);
    const progress: ImportProgress[] = [];
    const summary = await importFile(
      { file, name: 'sendgrid-export.json', format: 'sendgrid' },
      { db, sliceBytes: 997, batchEvents: 400, onProgress: (p) => progress.push(p) },
    );
    expect(summary).toMatchObject({ status: 'done', stored: events, duplicates: 0, rejected: 0, records: 3000 });
    expect(summary.skipped).toEqual({ delivered: 300 });
    expect(summary.bytesRead).toBe(file.size);
    expect(summary.deliveryIds).toHaveLength(2);
    expect(await storedEvents(db)).toBe(events);
    expect(await totalsSum(db)).toBe(events);
    // Progress went up in steps to the whole file.
    expect(progress.length).toBeGreaterThan(100);
    expect(progress.at(-1)!.bytesRead).toBe(file.size);

    const source = await db.sources.get('file-sendgrid');
    expect(source).toMatchObject({ kind: 'file', label: 'SendGrid files', last: { ok: true, added: events } });
    expect(source!.config['files']).toEqual([expect.objectContaining({ name: 'sendgrid-export.json', size: file.size, stored: events })]);
    const run = await db.runs.get(summary.runId);
    expect(run).toMatchObject({ trigger: 'import', status: 'ok', sources: [{ kind: 'file', stored: events, done: true }] });

    const deliveries = await db.deliveries.toArray();
    expect(deliveries.map((d) => d.label).sort()).toEqual(['cat facts', 'dog facts']);
    // url_offset → one tracked link per occurrence, with its index.
    const urls = await db.urls.toArray();
    expect(urls.filter((u) => u.occurrence === 1).length).toBeGreaterThan(0);
    const totals = (await db.totals.toArray()).map((t) => t.totals);
    expect(totals.reduce((n, t) => n + t.machine, 0)).toBe(machine);
  });

  it('on a full disk, fails saying so in the run log, and keeps what it stored before', async () => {
    const db = freshDb();
    const { text } = sendGridFile(3000);
    let writes = 0;
    db.segments.hook('creating', () => {
      if (++writes === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const summary = await importFile({ file: new Blob([text]), name: 'big.json', format: 'sendgrid' }, { db, sliceBytes: 4096, batchEvents: 400 });
    expect(summary).toMatchObject({ status: 'failed', error: 'store-failed' });
    expect(await storedEvents(db)).toBe(summary.stored);
    expect(summary.stored).toBeGreaterThan(0);
    const run = await db.runs.get(summary.runId);
    expect(run?.log.find((i) => i.level === 'error')).toMatchObject({ code: 'storage-full', sourceId: 'file-sendgrid' });
  });

  it('adds nothing when the same file is imported again', async () => {
    const db = freshDb();
    const { text, events } = sendGridFile(1200);
    await importFile({ file: new Blob([text]), name: 'a.json', format: 'sendgrid' }, { db, sliceBytes: 4096, batchEvents: 300 });
    const before = { events: await storedEvents(db), totals: await db.totals.toArray(), deliveries: await db.deliveries.count() };
    const again = await importFile({ file: new Blob([text]), name: 'a.json', format: 'sendgrid' }, { db, sliceBytes: 1 << 20 });
    expect(again).toMatchObject({ status: 'done', stored: 0, duplicates: events });
    expect(await storedEvents(db)).toBe(before.events);
    expect(await db.totals.toArray()).toEqual(before.totals);
    expect(await db.deliveries.count()).toBe(before.deliveries);
    expect((await db.sources.get('file-sendgrid'))!.config['files']).toHaveLength(2);
  });

  it('stops cleanly on cancel: what was committed stays consistent, and a new import adds the rest', async () => {
    const db = freshDb();
    const { text, events } = sendGridFile(4000);
    const file = new Blob([text]);
    const controller = new AbortController();
    const summary = await importFile(
      { file, name: 'big.json', format: 'sendgrid' },
      {
        db,
        signal: controller.signal,
        sliceBytes: 2000,
        batchEvents: 250,
        onProgress: (p) => {
          if (p.bytesRead > file.size / 2) controller.abort();
        },
      },
    );
    expect(summary.status).toBe('cancelled');
    expect(summary.stored).toBeGreaterThan(0);
    expect(summary.stored).toBeLessThan(events);
    // Segments and aggregates agree: the aggregates were saved for every committed batch.
    expect(await storedEvents(db)).toBe(summary.stored);
    expect(await totalsSum(db)).toBe(summary.stored);
    const run = await db.runs.get(summary.runId);
    expect(run?.status).toBe('warning');
    expect(run?.log.map((i) => i.code)).toContain('import-cancelled');

    const rest = await importFile({ file, name: 'big.json', format: 'sendgrid' }, { db });
    expect(rest).toMatchObject({ status: 'done', stored: events - summary.stored, duplicates: summary.stored });
    expect(await totalsSum(db)).toBe(events);
  });

  it('shows rejected records with reasons and refuses files that are not JSON', async () => {
    const db = freshDb();
    const good = '{"email":"a@example.com","timestamp":1700000000,"event":"open","sg_event_id":"1"}';
    const text = `${good}\n{"email":"a@example.com","event":"open","sg_event_id":"2"}\n{"email":"a@example.com","timestamp":17000`;
    const summary = await importFile({ file: new Blob([text]), name: 'x.json', format: 'sendgrid' }, { db });
    expect(summary).toMatchObject({ status: 'done', stored: 1, rejected: 2 });
    expect(summary.rejectedSamples.map((r) => r.reason)).toEqual([
      'timestamp: required',
      'the file ends inside this record (cut off?)',
    ]);

    const prose = await importFile({ file: new Blob(['hello\nworld\nthis is prose\n']), name: 'x.txt', format: 'sendgrid' }, { db });
    expect(prose).toMatchObject({ status: 'failed', error: 'not-json', stored: 0 });
    await expect(importFile({ file: new Blob([]), name: 'empty.json', format: 'sendgrid' }, { db })).rejects.toBeInstanceOf(ImportError);
  });

  it('streams a CSV through its column mapping', async () => {
    const db = freshDb();
    const lines = ['When;Who;What;Link;"Notes, quoted"'];
    for (let i = 0; i < 500; i++) {
      lines.push(`${T0 + i};r${i % 20}@example.com;${i % 2 ? 'Opened' : 'Clicked'};https://x.example/${i % 3};"multi\nline ""note"" ${i}"`);
    }
    const summary = await importFile(
      { file: new Blob([lines.join('\r\n')]), name: 'events.csv', format: 'csv', csv: { delimiter: ';', columns: { time: 0, recipient: 1, type: 2, url: 3 }, typeValues: {}, fixedType: 2 } },
      { db, sliceBytes: 333, batchEvents: 100 },
    );
    expect(summary).toMatchObject({ status: 'done', stored: 500, rejected: 0, records: 500 });
    const totals = (await db.totals.toArray())[0]!.totals;
    expect(totals.totalRecipientClick).toBe(250);
  });

  it('waits for a workflow run that holds the lock, and the workflow never runs a file source', async () => {
    const db = freshDb();
    let waited = false;
    let release!: () => void;
    const held = withRunLock(() => new Promise<void>((resolve) => (release = resolve)));
    const importing = importFile(
      { file: new Blob([sendGridFile(10).text]), name: 's.json', format: 'sendgrid' },
      { db, onWait: () => {
        waited = true;
        release();
      } },
    );
    await held;
    const summary = await importing;
    expect(waited).toBe(true);
    expect(summary.status).toBe('done');
    const run = await runWorkflow(deps(db, { kind: 'feed', fetchPage: () => Promise.reject(new Error('not called')) }), 'manual');
    expect(run.status).toBe('ok');
    expect(run.sources).toEqual([]);
  });
});
