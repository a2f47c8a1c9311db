import type { Page, Worker } from 'playwright-core';
import { expect } from 'vitest';
import type { ExpectedDelivery } from '../fixtures/providers/common';

/** What the extension's store holds, read with raw IndexedDB inside the extension (worker or page). */
export interface StoreView {
  deliveries: { id: number; sourceId: string; extId: string; label: string; trackingEnabled: boolean; sentAt: number | undefined }[];
  totals: Record<string, Record<string, number>>;
  events: number;
  segments: number;
  recipients: number;
  sources: { id: string; kind: string; cursor: string | null; enabled: boolean }[];
  runs: { id: number; trigger: string; status: string; sources: { stored: number; duplicates: number; rejected: number; fetched: number }[]; log: { code: string; level: string }[]; rejectedSamples: unknown[] }[];
}

/** Runs in the extension: opens the Dexie database without a version (no upgrade) and reads it. */
const readInExtension = async (): Promise<StoreView> => {
  const open = (): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open('tracking-logs');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const db = await open();
  // One read-only transaction over every table: a snapshot. Reading table by table in separate transactions let a
  // run end between two reads (aggregates from mid-run, runs from after it), which failed tests under load.
  const names = ['deliveries', 'aggregates', 'segments', 'dicts', 'sources', 'runs'].filter((n) => db.objectStoreNames.contains(n));
  const tx = db.transaction(names);
  const all = <T,>(store: string): Promise<T[]> =>
    new Promise((resolve, reject) => {
      if (!names.includes(store)) return resolve([]);
      const req = tx.objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result as T[]);
      req.onerror = () => reject(req.error);
    });
  const [deliveriesP, aggregatesP, segmentsP, dictsP, sourcesP, runsP] = [
    all<StoreView['deliveries'][number]>('deliveries'),
    all<{ deliveryId: number; totals: Record<string, number> }>('aggregates'),
    all<{ n: number }>('segments'),
    all<{ name: string; keys: string[] }>('dicts'),
    all<StoreView['sources'][number]>('sources'),
    all<StoreView['runs'][number]>('runs'),
  ];
  const [deliveries, aggregates, segments, dicts, sources, runs] = await Promise.all([deliveriesP, aggregatesP, segmentsP, dictsP, sourcesP, runsP]);
  const view: StoreView = {
    deliveries: deliveries.map((d) => ({ id: d.id, sourceId: d.sourceId, extId: d.extId, label: d.label, trackingEnabled: d.trackingEnabled, sentAt: d.sentAt })),
    totals: Object.fromEntries(
      aggregates.map((a) => {
        const d = deliveries.find((x) => x.id === a.deliveryId);
        return [d ? `${d.sourceId}/${d.extId}` : String(a.deliveryId), a.totals];
      }),
    ),
    events: segments.reduce((n, s) => n + s.n, 0),
    segments: segments.length,
    recipients: dicts.filter((c) => c.name === 'recipients').reduce((n, c) => n + c.keys.length, 0),
    sources: sources.map((s) => ({ id: s.id, kind: s.kind, cursor: s.cursor, enabled: s.enabled })),
    runs,
  };
  db.close();
  return view;
};

export function readStore(where: Worker | Page): Promise<StoreView> {
  return (where as Page).evaluate(readInExtension);
}

/** Polls `check` on the store until it returns true (or times out with the last view in the message). */
export async function waitForStore(
  where: () => Worker | Page,
  check: (view: StoreView) => boolean,
  timeoutMs = 60_000,
): Promise<StoreView> {
  const deadline = Date.now() + timeoutMs;
  let last: StoreView | undefined;
  for (;;) {
    try {
      last = await readStore(where());
      if (check(last)) return last;
    } catch {
      // the worker may be stopping or starting; try again
    }
    if (Date.now() > deadline) throw new Error(`store never matched; last: ${JSON.stringify(last?.runs.at(-1) ?? null)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every delivery of the fixture has the store's indicators computed from the fixture data alone. */
export function expectIndicators(store: StoreView, kind: string, expected: Record<string, ExpectedDelivery>): void {
  const source = store.sources.find((s) => s.kind === kind);
  expect(source, kind).toBeDefined();
  for (const [extId, want] of Object.entries(expected)) {
    const totals = store.totals[`${source!.id}/${extId}`];
    expect(totals, `${kind} ${extId}`).toBeDefined();
    expect({
      extId,
      distinctOpens: totals!.recipientOpen,
      totalOpens: totals!.totalRecipientOpen,
      recipientClicks: totals!.recipientClick,
      clicks: totals!.totalRecipientClick,
      optOuts: totals!.optOut,
    }).toEqual({
      extId,
      distinctOpens: want.recipients,
      totalOpens: want.opens,
      recipientClicks: want.clickers,
      clicks: want.clicks,
      optOuts: want.optOuts,
    });
  }
}
