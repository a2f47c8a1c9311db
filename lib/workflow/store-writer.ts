import type {
  AggregateRow,
  DeliveryRow,
  DictChunkRow,
  DictName,
  IdColumn,
  RunRow,
  SegmentRow,
  SourceRow,
  TrackingDb,
  UrlRow,
} from '../db/schema';
import { Dictionary } from '../db/dictionary';
import { HEAVY_EVENTS, HeavyTracker } from '../db/heavy';
import { recipientFilterRow } from '../db/recipient-filter';
import type { DeliveryInput, Page, TrackedUrlInput } from '../sources/source';
import { HAS_IP, HAS_PERSON, MACHINE, PROXY, joinedStart, packedOf, type Joined, type PackedEvents } from '../sources/packed-events';
import { EventFlag, EventType, type EventTypeCode } from '../event-types';
import {
  AGGREGATE_VERSION,
  addEvent,
  addSegment,
  fromRow,
  isCurrentAggregate,
  newAggregate,
  toRow,
  type WorkingAggregate,
} from './aggregate';
import { DedupeWindow } from './dedupe';
import { hash53Range } from './hash';
import { detached } from './strings';
import { YIELD_EVERY, yieldToEventLoop } from './yield';

export interface PageOutcome {
  stored: number;
  duplicates: number;
}

const SEP = '\u0000';

/**
 * Most events in one segment. A page of 50 000 events of one delivery is stored as several segments: the recipient
 * tab reads whole segments whose recipient filter matches (lib/db/recipient-filter.ts), so a recipient with a dozen
 * events costs a dozen segments of this size rather than a dozen pages. 4 096 events per record still writes at
 * millions of events/s (../shared/architecture.md, "Storage"); the filters are per segment, so smaller segments mean
 * more (and smaller) filter rows.
 */
export const SEGMENT_EVENTS = 4096;

/**
 * Longest time between saves of the working aggregates during a run (ms). Each save rewrites the per-recipient
 * state of every delivery touched since the last one (megabytes for big sends); a run cut off between saves loses
 * nothing, since the next run replays the newer segments (reconcile). 1 s cost ~0.4 s of worker time per million
 * events; 4 s a quarter of that.
 */
export const AGGREGATE_SAVE_MS = 4000;

/** The column as a Uint16Array when every id fits in 16 bits, else as it is. */
export function narrow(col: IdColumn): IdColumn {
  if (col instanceof Uint16Array) return col;
  for (let i = 0; i < col.length; i++) if (col[i]! > 0xffff) return col;
  return Uint16Array.from(col);
}

/** `seg` as segments of at most `max` events (copies: a stored view would carry its whole buffer). */
export function splitSegment(seg: SegmentRow, max: number): SegmentRow[] {
  if (seg.n <= max) return [seg];
  const out: SegmentRow[] = [];
  for (let from = 0; from < seg.n; from += max) {
    const to = Math.min(seg.n, from + max);
    out.push({
      sourceId: seg.sourceId,
      deliveryId: seg.deliveryId,
      n: to - from,
      tMin: 0,
      tMax: 0,
      t: seg.t.slice(from, to),
      rcp: seg.rcp.slice(from, to),
      url: seg.url.slice(from, to),
      type: seg.type.slice(from, to),
      ua: seg.ua.slice(from, to),
      person: seg.person.slice(from, to),
      flags: seg.flags.slice(from, to),
      ip: seg.ip?.slice(from, to),
      h: seg.h.slice(from, to),
    });
  }
  return out;
}

/**
 * Writes validated pages into the store for one run: dedupe → intern → columnar segments → aggregates, and commits
 * each page's events, dictionaries, aggregates, the source's cursor and the run's progress in ONE transaction, so
 * a run cut off anywhere leaves the store as of the last whole page and the cursor that goes with it.
 *
 * It caches dictionary ids, delivery/URL ids, dedupe windows and working aggregates for the run. If a commit
 * fails the caches no longer match the store, so the writer refuses further pages (the run ends; the next run
 * starts from what was committed).
 */
/** Seconds (floored) of each of the first `n` times (epoch ms). */
function secondsOf(time: Float64Array, n: number): Float64Array {
  const seconds = new Float64Array(n);
  for (let i = 0; i < n; i++) seconds[i] = Math.floor(time[i]! / 1000);
  return seconds;
}

function minOf(values: Float64Array): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! < min) min = values[i]!;
  return min;
}

/**
 * Marks each event new or seen in `window` by the hash of its id (where it lies in the joined ids: no string per
 * event), and lists the new ones in `fresh` (index in the page) and `hashes`; returns how many are new.
 */
function dedupeIds(ids: Joined, seconds: Float64Array, window: DedupeWindow, fresh: Int32Array, hashes: Float64Array): number {
  const { text, ends } = ids;
  let m = 0;
  let start = 0;
  for (let i = 0; i < seconds.length; i++) {
    const end = ends[i]!;
    const h = hash53Range(text, start, end);
    start = end;
    if (!window.add(h, seconds[i]!)) continue;
    hashes[m] = h;
    fresh[m++] = i;
  }
  return m;
}

/** Positions in `fresh[0, m)` in time order (ties in page order), or undefined when they already are. */
function timeOrder(time: Float64Array, fresh: Int32Array, m: number): number[] | undefined {
  let k = 1;
  while (k < m && time[fresh[k]!]! >= time[fresh[k - 1]!]!) k++;
  if (k >= m) return undefined;
  const order = Array.from({ length: m }, (_, j) => j);
  order.sort((a, b) => time[fresh[a]!]! - time[fresh[b]!]! || a - b);
  return order;
}

function countBy(keys: ArrayLike<number>, m: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let k = 0; k < m; k++) counts.set(keys[k]!, (counts.get(keys[k]!) ?? 0) + 1);
  return counts;
}

/** Clicks (every event but opens) of the new events, by delivery. */
function clicksBy(type: Uint8Array, fresh: Int32Array, deliveryOf: ArrayLike<number>, m: number): Map<number, number> {
  const clicks = new Map<number, number>();
  for (let k = 0; k < m; k++) {
    if (type[fresh[k]!] !== EventType.open) clicks.set(deliveryOf[k]!, (clicks.get(deliveryOf[k]!) ?? 0) + 1);
  }
  return clicks;
}

/** What {@link fillSegments} reads and writes for one page. */
interface PageFill {
  cols: PackedEvents;
  /** The new events (index in `cols`) and their id hashes, by position. */
  fresh: Int32Array;
  hashes: Float64Array;
  /** Positions in time order, when the page was not. */
  order: number[] | undefined;
  deliveryOf: ArrayLike<number>;
  urlOf: ArrayLike<number>;
  segs: Map<number, SegmentRow>;
  aggregates: Map<number, WorkingAggregate>;
  rcpDict: Dictionary;
  uaDict: Dictionary;
  personDict: Dictionary;
  ipDict: Dictionary;
  /** Agent id by the page's agent code, -1 until looked up (a page has a few distinct agents). */
  uaIds: Int32Array;
}

/** Interns, aggregates and appends to their delivery's segment the new events at positions [k0, k1). */
function fillSegments(f: PageFill, k0: number, k1: number): void {
  const { time, type, bits, recipient, person, ip, userAgent } = f.cols;
  const { fresh, hashes, order, deliveryOf, urlOf, segs, aggregates, rcpDict, uaDict, personDict, ipDict, uaIds } = f;
  for (let k = k0; k < k1; k++) {
    const p = order ? order[k]! : k;
    const i = fresh[p]!;
    const deliveryId = deliveryOf[p]!;
    const seg = segs.get(deliveryId)!;
    const agg = aggregates.get(deliveryId)!;
    const j = seg.n++;
    const t = Math.floor(time[i]! / 1000);
    const b = bits[i]!;
    const rcp = rcpDict.internRange(recipient.text, joinedStart(recipient, i), recipient.ends[i]!);
    const uaCode = userAgent.index[i]!;
    let ua = 0;
    if (uaCode >= 0) {
      ua = uaIds[uaCode]!;
      if (ua < 0) {
        const agent = userAgent.values[uaCode]!;
        ua = agent ? uaDict.internCached(agent) : 0;
        uaIds[uaCode] = ua;
      }
    }
    let personId = 0;
    if (b & HAS_PERSON) {
      const from = joinedStart(person, i);
      if (person.ends[i]! > from) personId = personDict.internRange(person.text, from, person.ends[i]!);
    }
    let ipId = 0;
    if (b & HAS_IP) {
      const from = joinedStart(ip, i);
      if (ip.ends[i]! > from) ipId = ipDict.internRange(ip.text, from, ip.ends[i]!);
    }
    const url = urlOf[p]!;
    const code = type[i]! as EventTypeCode;
    let flags = 0;
    if (b & MACHINE) flags |= EventFlag.machine;
    if (b & PROXY) flags |= EventFlag.proxy;
    flags = addEvent(agg, t, rcp, url, code, ua, personId, flags);
    seg.t[j] = t;
    seg.rcp[j] = rcp;
    seg.url[j] = url;
    seg.type[j] = code;
    seg.ua[j] = ua;
    seg.person[j] = personId;
    seg.flags[j] = flags;
    seg.ip![j] = ipId;
    seg.h[j] = hashes[p]!;
  }
}

export class StoreWriter {
  private readonly dicts = new Map<DictName, Promise<Dictionary>>();
  private readonly deliveryIds = new Map<string, number>();
  /** Tracked-URL row ids by delivery, then by the source's URL id (no per-event key strings on the hot path). */
  private readonly urlIds = new Map<number, Map<string, number>>();
  /** Deliveries whose stored URL rows are all in urlIds. */
  private readonly urlsLoaded = new Set<number>();
  /**
   * URL ids are given here (like segment ids), so URL rows made for a page's events are written in the page's own
   * transaction. A transaction of their own had to wait for the previous page's write (IndexedDB serves one
   * request after another), which stalled every page that met a new clicked URL for as long as that write took.
   */
  private nextUrlId: number | undefined;
  /** URL rows made for the page being prepared, written with it. */
  private pendingUrls: UrlRow[] = [];
  private readonly aggregates = new Map<number, WorkingAggregate>();
  private readonly windows = new Map<string, DedupeWindow>();
  private broken = false;
  /** Why the writer broke (the failed write's error), carried as the `cause` of later refusals. */
  private failure: unknown;
  private inFlight: Promise<void> | undefined;
  /**
   * New and duplicate events of the pages whose transactions have completed. A caller counts a page when it is
   * prepared (its run row is written with it), so when a write fails the pages prepared ahead of it were counted
   * but never stored: `durable` is what the caller may keep.
   */
  private readonly durableCounts = { stored: 0, duplicates: 0 };
  /** Segment ids are given here, so an aggregate knows the last segment it includes before the write. */
  private nextSegmentId: number | undefined;
  /** Deliveries this writer created (so far without stored events or aggregates). */
  private readonly created = new Set<number>();
  /** Deliveries whose aggregates changed since they were last saved, and when that was. */
  private readonly dirty = new Set<number>();
  private lastFlush = 0;

  private heavy: HeavyTracker | undefined;

  /** `heavyEvents`: when a recipient becomes heavy (lib/db/heavy.ts; tests lower it). */
  constructor(
    private readonly db: TrackingDb,
    private readonly options: { heavyEvents?: number } = {},
  ) {}

  /**
   * Commits one page of `source`. `nextRun` gives the run row to save with the page (progress and heartbeat).
   *
   * Pipelined: the page is prepared in memory (dedupe, intern, segments, aggregates) while the previous page's
   * transaction is still being written, and its own transaction starts once that one has succeeded, so CPU work
   * and IndexedDB's commit overlap while pages still commit one after the other. A failed write makes the next
   * call (or `finish`) throw, and the cursor never moves past a page that is not stored.
   */
  async commitPage(source: SourceRow, page: Page, nextRun: (outcome: PageOutcome) => RunRow): Promise<PageOutcome> {
    if (this.broken) throw new Error('StoreWriter: an earlier commit failed; start a new run', { cause: this.failure });
    try {
      const { outcome, write } = await this.prepare(source, page, nextRun);
      await this.inFlight;
      const writing = write().then(() => {
        this.durableCounts.stored += outcome.stored;
        this.durableCounts.duplicates += outcome.duplicates;
      });
      this.inFlight = writing;
      writing.catch((error: unknown) => {
        this.broken = true;
        this.failure ??= error;
      });
      return outcome;
    } catch (error) {
      this.broken = true;
      this.failure ??= error;
      throw error;
    }
  }

  /** New and duplicate events stored by completed writes so far (see `durableCounts`). */
  durable(): { stored: number; duplicates: number } {
    return { ...this.durableCounts };
  }

  /** Waits for the last page's transaction; throws if it failed. */
  async drain(): Promise<void> {
    try {
      await this.inFlight;
    } catch (error) {
      this.broken = true;
      this.failure ??= error;
      throw error;
    }
  }

  private async prepare(
    source: SourceRow,
    page: Page,
    nextRun: (o: PageOutcome) => RunRow,
  ): Promise<{ outcome: PageOutcome; write: () => Promise<void> }> {
    const { deliveries, urls, events } = page.records;
    if (deliveries.length) await this.upsertDeliveries(source.id, deliveries);
    if (urls.length) await this.upsertUrls(source.id, urls);

    // The page's events as columns (lib/sources/packed-events.ts): the feed thread sends them so, and reading
    // columns makes no object per event here, hashes ids and recipients where they lie in the joined strings, and
    // looks up a delivery, URL or user agent once per distinct value of the page rather than once per event.
    const cols = packedOf(events);
    const n = cols.n;
    const { time, type } = cols;

    // Dedupe by the source's event id, against the store and within the page.
    /** The events not seen before, by their index in `cols`, and their id hashes (both by position in `fresh`). */
    const fresh = new Int32Array(n);
    const hashes = new Float64Array(n);
    let m = 0;
    let duplicates = 0;
    if (n) {
      const window = this.windowFor(source.id);
      const seconds = secondsOf(time, n);
      await window.cover(minOf(seconds));
      window.reserve(seconds);
      m = dedupeIds(cols.id, seconds, window, fresh, hashes);
      duplicates = n - m;
    }

    // Time order makes the 1-minute repeat-open rule exact within the page and keeps segments sorted.
    const order = timeOrder(time, fresh, m);
    const deliveryOf = await this.resolveEventDeliveries(source.id, cols, fresh, m);
    const urlOf = await this.resolveEventUrls(cols, fresh, m, deliveryOf);
    const rcpDict = await this.dictionary('recipients');
    const uaDict = await this.dictionary('agents');
    const personDict = await this.dictionary('persons');
    const ipDict = await this.dictionary('ips');

    // Group into one segment per delivery.
    const counts = countBy(deliveryOf, m);
    const segs = new Map<number, SegmentRow>();
    for (const [deliveryId, count] of counts) {
      segs.set(deliveryId, {
        sourceId: source.id,
        deliveryId,
        n: 0,
        tMin: 0,
        tMax: 0,
        t: new Uint32Array(count),
        rcp: new Uint32Array(count),
        url: new Uint32Array(count),
        type: new Uint8Array(count),
        ua: new Uint32Array(count),
        person: new Uint32Array(count),
        flags: new Uint8Array(count),
        ip: new Uint32Array(count),
        h: new Float64Array(count),
      });
      this.dirty.add(deliveryId);
    }
    // Aggregates not in memory yet, read together (each read waits behind the previous page's write).
    const toLoad = [...counts.keys()].filter((d) => !this.aggregates.has(d));
    if (toLoad.length) {
      const loaded = await Promise.all(toLoad.map((d) => this.loadAggregate(d)));
      for (const agg of loaded) this.aggregates.set(agg.deliveryId, agg);
    }
    // Room in each delivery's distinct-clicker sets for this page's clicks, made at once rather than by doublings.
    for (const [deliveryId, count] of clicksBy(type, fresh, deliveryOf, m)) {
      const agg = this.aggregates.get(deliveryId)!;
      agg.clickPersons.reserve(count);
      agg.linkClickers.reserve(count);
    }
    const fill: PageFill = {
      cols,
      fresh,
      hashes,
      order,
      deliveryOf,
      urlOf,
      segs,
      aggregates: this.aggregates,
      rcpDict,
      uaDict,
      personDict,
      ipDict,
      uaIds: new Int32Array(cols.userAgent.values.length).fill(-1),
    };
    // In slices, with a turn of the event loop between them; the loop itself is a small function of its own, which
    // the JIT compiles at a fraction of the cost of this whole (async) method (~120 ms a compile here, three per run).
    for (let k = 0; k < m; k += YIELD_EVERY) {
      if (k > 0) await yieldToEventLoop();
      fillSegments(fill, k, Math.min(m, k + YIELD_EVERY));
    }
    // Id columns as small as their ids allow, on disk: a segment without any client IP stores no IP column (readers
    // take it as 0), and URL, agent and IP ids that all fit in 16 bits are stored so (2 bytes per event each).
    for (const seg of segs.values()) {
      seg.url = narrow(seg.url);
      seg.ua = narrow(seg.ua);
      seg.ip = seg.ip && seg.ip.some((x) => x !== 0) ? narrow(seg.ip) : undefined;
    }
    const segments = [...segs.values()].flatMap((seg) => splitSegment(seg, SEGMENT_EVENTS));
    if (segments.length && this.nextSegmentId === undefined) {
      this.nextSegmentId = (((await this.db.segments.orderBy(':id').lastKey()) as number | undefined) ?? 0) + 1;
    }
    for (const seg of segments) {
      // Sorted input (or sorted `order`) keeps each segment sorted by time.
      seg.tMin = seg.t[0]!;
      seg.tMax = seg.t[seg.n - 1]!;
      seg.id = this.nextSegmentId!++;
      this.aggregates.get(seg.deliveryId)!.through = seg.id;
    }
    // The recipient tracking tab's way in (lib/db/recipient-filter.ts): a small filter row per segment.
    const filters = segments.map((seg) => recipientFilterRow(seg as SegmentRow & { id: number }));
    // Heavy recipients' events again, by recipient, in the same transaction as their segments (lib/db/heavy.ts).
    if (segments.length && !this.heavy) this.heavy = await HeavyTracker.load(this.db, this.options.heavyEvents ?? HEAVY_EVENTS);
    const heavy = this.heavy && segments.length ? this.heavy.page(source.id, segments as (SegmentRow & { id: number })[]) : undefined;

    const outcome: PageOutcome = { stored: m, duplicates };
    // Aggregates are saved with a page at most every AGGREGATE_SAVE_MS (and by finish()): rewriting every touched
    // delivery's per-recipient state on every page cost more than the events themselves. Until saved, the
    // segments carry the truth and a later load replays them (loadAggregate).
    const flush = page.done || Date.now() - this.lastFlush > AGGREGATE_SAVE_MS;
    // Snapshots now: by the time the transaction runs, the next page may already be in memory.
    const aggregateRows = flush ? this.takeDirtyRows() : [];
    const run = structuredClone(nextRun(outcome));
    const newUrls = this.pendingUrls;
    this.pendingUrls = [];
    const chunks = [rcpDict, uaDict, personDict, ipDict]
      .map((d) => d.takePending())
      .filter((c): c is DictChunkRow => c !== undefined);
    const db = this.db;
    const write = (): Promise<void> =>
      // Every request is made at once, not one after another: each `await` between them would wait for a turn of
      // the worker's thread, which is busy preparing the next page, and would hold the transaction (and every
      // read queued behind it) open for that long.
      db.transaction(
        'rw',
        [db.segments, db.rcpFilters, db.heavyEvents, db.heavyRcps, db.aggregates, db.totals, db.dicts, db.urls, db.sources, db.runs],
        () =>
          Promise.all([
            newUrls.length ? db.urls.bulkAdd(newUrls) : undefined,
            chunks.length ? db.dicts.bulkAdd(chunks) : undefined,
            segments.length ? db.segments.bulkAdd(segments) : undefined,
            segments.length ? db.rcpFilters.bulkAdd(filters) : undefined,
            heavy?.rows.length ? db.heavyEvents.bulkAdd(heavy.rows) : undefined,
            heavy?.promoted.length ? db.heavyRcps.bulkPut(heavy.promoted) : undefined,
            aggregateRows.length ? this.putAggregates(aggregateRows) : undefined,
            db.sources.update(source.id, { cursor: page.nextCursor }),
            db.runs.put(run),
          ]).then(() => undefined),
      );
    return { outcome, write };
  }

  /**
   * Waits for the last page, then saves every aggregate changed since its last save (the end of a source), and the
   * per-recipient counts (lib/db/heavy.ts: 4 bytes per recipient, so saved once per source rather than with pages;
   * counts lost with a crashed run only promote a recipient later).
   */
  async finish(): Promise<void> {
    await this.drain(); // surfaces a failed last write
    if (this.broken) return;
    const rows = this.dirty.size ? this.takeDirtyRows() : [];
    const counts = this.heavy?.takeCounts();
    if (!rows.length && !counts) return;
    const db = this.db;
    await db.transaction('rw', db.aggregates, db.totals, db.rcpCounts, () =>
      Promise.all([rows.length ? this.putAggregates(rows) : undefined, counts ? db.rcpCounts.put(counts) : undefined]),
    );
  }

  private takeDirtyRows(): AggregateRow[] {
    const rows = [...this.dirty].map((d) => toRow(this.aggregates.get(d)!));
    this.dirty.clear();
    this.lastFlush = Date.now();
    return rows;
  }

  /** Inside a transaction on aggregates and totals. */
  private async putAggregates(rows: AggregateRow[]): Promise<void> {
    await Promise.all([
      this.db.aggregates.bulkPut(rows),
      this.db.totals.bulkPut(
        rows.map((r) => ({
          deliveryId: r.deliveryId,
          totals: r.totals,
          through: r.through,
          v: AGGREGATE_VERSION,
          series: { hours: r.hours, opens: r.hourOpens, clicks: r.hourClicks },
          // Per-link counts for hot clicks (a few hundred numbers, not the per-recipient state).
          ...(r.linkClickerCounts ? { links: { ids: r.linkIds, counts: r.linkCounts, clickers: r.linkClickerCounts } } : {}),
        })),
      ),
    ]);
  }

  /**
   * Brings every stale aggregate up to date: a run cut off between a page's commit and the next aggregate save
   * leaves segments newer than their delivery's aggregate, and if no later event touches that delivery nothing
   * else would replay them. One small index count per delivery finds them; `finish` saves what was replayed.
   * An aggregate of an older shape (AGGREGATE_VERSION, told by its light totals row) is rebuilt from all its segments.
   */
  async reconcile(): Promise<number> {
    const ids = (await this.db.deliveries.toCollection().primaryKeys()) as number[];
    const totals = await this.db.totals.bulkGet(ids);
    let stale = 0;
    for (const [i, deliveryId] of ids.entries()) {
      if (this.aggregates.has(deliveryId)) continue;
      const row = totals[i];
      if (row && row.v !== AGGREGATE_VERSION) {
        this.aggregates.set(deliveryId, await this.loadAggregate(deliveryId));
        stale++;
        continue;
      }
      const through = row?.through ?? 0;
      const newer = await this.db.segments
        .where('[deliveryId+id]')
        .between([deliveryId, through + 1], [deliveryId, Infinity])
        .count();
      if (newer > 0) {
        this.aggregates.set(deliveryId, await this.loadAggregate(deliveryId));
        stale++;
      }
    }
    return stale;
  }

  /**
   * A delivery's saved aggregate, brought up to date with segments stored after it was saved. A row of an older
   * shape is dropped and the aggregate rebuilt from every segment of the delivery (segments are the truth).
   */
  private async loadAggregate(deliveryId: number): Promise<WorkingAggregate> {
    // A delivery this writer created has no events and no aggregate in the store yet: nothing to read.
    if (this.created.has(deliveryId)) return newAggregate(deliveryId);
    const row = await this.db.aggregates.get(deliveryId);
    const current = row !== undefined && isCurrentAggregate(row);
    const agg = current ? fromRow(row) : newAggregate(deliveryId);
    let replayed = row !== undefined && !current;
    await this.db.segments
      .where('[deliveryId+id]')
      .between([deliveryId, agg.through + 1], [deliveryId, Infinity])
      .each((seg) => {
        addSegment(agg, seg as SegmentRow & { id: number });
        replayed = true;
      });
    if (replayed) this.dirty.add(deliveryId);
    return agg;
  }

  private windowFor(sourceId: string): DedupeWindow {
    let w = this.windows.get(sourceId);
    if (!w) {
      w = new DedupeWindow(this.db, sourceId);
      this.windows.set(sourceId, w);
    }
    return w;
  }

  // Deliveries and URLs are read and written in bulk, one request each way: a page of a feed's first run can hold
  // hundreds of them, and a request awaited one after another costs a turn of the worker's thread each (a 1 M-event
  // bench's first page spent ~0.3 s waiting so).
  /** Creates or updates deliveries (fields a source sends again, like delivered counts, are refreshed). */
  private async upsertDeliveries(sourceId: string, inputs: DeliveryInput[]): Promise<void> {
    const db = this.db;
    await db.transaction('rw', db.deliveries, db.contents, async () => {
      const found = await db.deliveries
        .where('[sourceId+extId]')
        .anyOf(inputs.map((d) => [sourceId, d.extId]))
        .toArray();
      const stored = new Map(found.map((r) => [r.extId, r]));
      // One row per delivery; a delivery given twice in a page takes the later record over the earlier one.
      const rows = new Map<string, DeliveryRow>();
      const html = new Map<string, string>();
      for (const d of inputs) {
        const existing = rows.get(d.extId) ?? stored.get(d.extId);
        rows.set(d.extId, {
          ...(existing ?? {}),
          sourceId,
          extId: d.extId,
          label: d.label,
          subject: d.subject ?? existing?.subject,
          sentAt: d.sentAt ?? existing?.sentAt,
          trackingEnabled: d.trackingEnabled,
          toDeliver: d.toDeliver ?? existing?.toDeliver,
          delivered: d.delivered ?? existing?.delivered,
          textOnly: d.textOnly ?? existing?.textOnly,
          deliveredByDomain: d.deliveredByDomain ?? existing?.deliveredByDomain,
          hasHtml: d.html !== undefined ? true : (existing?.hasHtml ?? false),
        });
        if (d.html !== undefined) html.set(d.extId, d.html);
      }
      const list = [...rows.values()];
      const ids = (await db.deliveries.bulkPut(list, { allKeys: true })) as number[];
      list.forEach((row, i) => {
        const id = ids[i]!;
        if (!stored.has(row.extId)) this.created.add(id);
        this.deliveryIds.set(sourceId + SEP + row.extId, id);
      });
      if (html.size) {
        await db.contents.bulkPut([...html].map(([extId, h]) => ({ deliveryId: this.deliveryIds.get(sourceId + SEP + extId)!, html: h })));
      }
    });
  }

  private async upsertUrls(sourceId: string, inputs: TrackedUrlInput[]): Promise<void> {
    const db = this.db;
    const deliveryIds = await this.deliveryIdsFor(
      sourceId,
      inputs.map((u) => u.deliveryExtId),
    );
    await this.urlIdsReady([...deliveryIds.values()]);
    await db.transaction('rw', db.urls, async () => {
      const deliveryOf = inputs.map((u) => deliveryIds.get(u.deliveryExtId)!);
      const found = await db.urls
        .where('[deliveryId+extId]')
        .anyOf(inputs.map((u, i) => [deliveryOf[i]!, u.extId]))
        .toArray();
      const stored = new Map(found.map((r) => [r.deliveryId + SEP + r.extId, r]));
      const rows = new Map<string, UrlRow>();
      for (const [i, u] of inputs.entries()) {
        const deliveryId = deliveryOf[i]!;
        const key = deliveryId + SEP + u.extId;
        const existing = rows.get(key) ?? stored.get(key);
        const id = existing?.id ?? this.urlsOf(deliveryId).get(u.extId) ?? this.nextUrlId!++;
        rows.set(key, {
          ...(existing ?? {}),
          id,
          deliveryId,
          extId: u.extId,
          type: u.type,
          url: u.url,
          label: u.label ?? existing?.label,
          category: u.category ?? existing?.category,
          occurrence: u.occurrence ?? existing?.occurrence,
        });
        this.urlsOf(deliveryId).set(u.extId, id);
      }
      await db.urls.bulkPut([...rows.values()]);
    });
  }

  /**
   * Delivery ids for external ids, creating a placeholder delivery (label = its id, tracking on) for events that
   * arrive before their delivery, so no event is dropped; the real record fills it in when it comes.
   */
  private async deliveryIdsFor(sourceId: string, extIds: Iterable<string>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing = new Set<string>();
    for (const extId of extIds) {
      if (out.has(extId)) continue;
      const cached = this.deliveryIds.get(sourceId + SEP + extId);
      if (cached !== undefined) out.set(extId, cached);
      else missing.add(extId);
    }
    if (missing.size) {
      const db = this.db;
      await db.transaction('rw', db.deliveries, async () => {
        const found = await db.deliveries
          .where('[sourceId+extId]')
          .anyOf([...missing].map((extId) => [sourceId, extId]))
          .toArray();
        for (const row of found) {
          missing.delete(row.extId);
          this.deliveryIds.set(sourceId + SEP + row.extId, row.id!);
          out.set(row.extId, row.id!);
        }
        const placeholders = [...missing].map((extId) => ({ sourceId, extId, label: extId, trackingEnabled: true, hasHtml: false }));
        const ids = (await db.deliveries.bulkAdd(placeholders, { allKeys: true })) as number[];
        placeholders.forEach((row, i) => {
          const id = ids[i]!;
          this.created.add(id);
          // Copied: the id comes from an event, maybe a slice of its page's body (./strings.ts).
          this.deliveryIds.set(detached(sourceId + SEP + row.extId), id);
          out.set(row.extId, id);
        });
      });
    }
    return out;
  }

  /** Delivery ids of the fresh events (by position in `fresh`), looked up once per distinct delivery of the page. */
  private async resolveEventDeliveries(sourceId: string, cols: PackedEvents, fresh: Int32Array, m: number): Promise<Int32Array> {
    const { values, index } = cols.delivery;
    // Code -1 (no delivery id) reads as '' (lib/sources/packed-events.ts unpackEvents); it sits at the end.
    const used = new Uint8Array(values.length + 1);
    for (let k = 0; k < m; k++) {
      const c = index[fresh[k]!]!;
      used[c < 0 ? values.length : c] = 1;
    }
    const extOf = (c: number): string => (c === values.length ? '' : values[c]!);
    const distinct: string[] = [];
    for (let c = 0; c < used.length; c++) if (used[c]) distinct.push(extOf(c));
    const ids = await this.deliveryIdsFor(sourceId, distinct);
    const byCode = new Int32Array(used.length);
    for (let c = 0; c < used.length; c++) if (used[c]) byCode[c] = ids.get(extOf(c))!;
    const out = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      const c = index[fresh[k]!]!;
      out[k] = byCode[c < 0 ? values.length : c]!;
    }
    return out;
  }

  /**
   * URL ids for the fresh events (by position in `fresh`): by the source's URL id, else by the clicked URL itself (so
   * the same URL maps to one row). Unknown ones get a row built from the event (written with the page), so a click
   * is never lost for lack of its URL record.
   */
  private async resolveEventUrls(cols: PackedEvents, fresh: Int32Array, m: number, deliveryOf: Int32Array): Promise<Uint32Array> {
    const out = new Uint32Array(m);
    const { urlExtId, url } = cols;
    const toLoad = new Set<number>();
    for (let k = 0; k < m; k++) {
      const i = fresh[k]!;
      const d = deliveryOf[k]!;
      if (!this.urlsLoaded.has(d) && (urlExtId.index[i]! >= 0 || url.index[i]! >= 0)) toLoad.add(d);
    }
    await this.urlIdsReady([...toLoad]);
    for (let k = 0; k < m; k++) {
      const i = fresh[k]!;
      const xc = urlExtId.index[i]!;
      const uc = url.index[i]!;
      const extId = xc >= 0 ? urlExtId.values[xc]! : uc >= 0 ? url.values[uc]! : undefined;
      if (extId === undefined) continue; // 0: no URL
      const deliveryId = deliveryOf[k]!;
      const urls = this.urlsOf(deliveryId);
      let id = urls.get(extId);
      if (id === undefined) {
        id = this.nextUrlId!++;
        // Copied: the event's strings may be slices of its page's body, which this run-long map would keep.
        urls.set(detached(extId), id);
        this.pendingUrls.push({ id, deliveryId, extId, type: cols.type[i]! as EventTypeCode, url: uc >= 0 ? url.values[uc]! : '' });
      }
      out[k] = id;
    }
    return out;
  }

  /**
   * Loads the stored URL ids of these deliveries (once per run each) and the next free URL id. Reads happen only
   * when a delivery is first met in the run.
   */
  private async urlIdsReady(deliveryIds: number[]): Promise<void> {
    const db = this.db;
    if (this.nextUrlId === undefined) {
      this.nextUrlId = (((await db.urls.orderBy(':id').lastKey()) as number | undefined) ?? 0) + 1;
    }
    // A delivery this writer created has only the URL rows it gave ids to (already in urlIds).
    for (const d of deliveryIds) if (this.created.has(d)) this.urlsLoaded.add(d);
    const wanted = deliveryIds.filter((d) => !this.urlsLoaded.has(d));
    if (!wanted.length) return;
    const rows = await db.urls.where('deliveryId').anyOf(wanted).toArray();
    for (const row of rows) {
      const urls = this.urlsOf(row.deliveryId);
      if (!urls.has(row.extId)) urls.set(row.extId, row.id!);
    }
    for (const d of wanted) this.urlsLoaded.add(d);
  }

  private urlsOf(deliveryId: number): Map<string, number> {
    let urls = this.urlIds.get(deliveryId);
    if (!urls) {
      urls = new Map();
      this.urlIds.set(deliveryId, urls);
    }
    return urls;
  }

  private dictionary(name: DictName): Promise<Dictionary> {
    let dict = this.dicts.get(name);
    if (!dict) {
      dict = Dictionary.load(this.db, name);
      this.dicts.set(name, dict);
    }
    return dict;
  }

  /**
   * Starts loading the dictionaries while the run waits for its first page. Loading the recipients' (hashing every
   * string into a table) is most of an hourly run's own work in a large store, and the first page takes longer to
   * come (the feed thread starting, the request): the two now overlap. A failed load is reported by the page that
   * needs it.
   */
  warm(): void {
    for (const name of ['recipients', 'agents', 'persons', 'ips'] as const) this.dictionary(name).catch(() => undefined);
  }

}
