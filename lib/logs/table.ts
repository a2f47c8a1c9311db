import { EVENT_TYPE_BY_NAME, EVENT_TYPE_CODES, EVENT_TYPE_NAMES, type EventTypeCode } from '../event-types';
import type { RouteParams } from '../routes';
import { parseZonedDateTime } from '../zoned-time';

/**
 * The Tracking logs table and the recipient tab as pure functions over event columns (lib/db/events.ts): the
 * filters and sort order come from the hash (`#/deliveries/4/logs?type=click,open&from=…&rcp=anna&sort=rcp`), and
 * produce an index array, so a million events are never copied into row objects.
 */

export const LOG_COLUMNS = ['time', 'type', 'rcp', 'url', 'delivery', 'device', 'who', 'ua', 'ip'] as const;
export type LogColumn = (typeof LOG_COLUMNS)[number];
export type SortDir = 'asc' | 'desc';

export interface LogsQuery {
  /** Event types shown; empty = all. */
  types: EventTypeCode[];
  /** The range as typed (`2026-10-01T09:00`, in the view's zone) and as epoch seconds (inclusive). */
  from: string;
  to: string;
  fromS: number | undefined;
  toS: number | undefined;
  /** Recipient address prefix. */
  rcp: string;
  /** Text in the URL or its label. */
  url: string;
  /** Delivery id (the recipient tab), 0 = all. */
  delivery: number;
  sort: LogColumn;
  dir: SortDir;
}

/** The view's query from hash params; anything malformed is ignored rather than shown as an error. */
export function parseLogsQuery(params: RouteParams, timeZone: string): LogsQuery {
  const types = (params.type ?? '')
    .split(',')
    .map((name) => EVENT_TYPE_BY_NAME[name.trim()])
    .filter((c): c is EventTypeCode => c !== undefined);
  const from = params.from ?? '';
  const to = params.to ?? '';
  const fromMs = from ? parseZonedDateTime(from, timeZone) : undefined;
  const toMs = to ? parseZonedDateTime(to, timeZone) : undefined;
  const sort = (LOG_COLUMNS as readonly string[]).includes(params.sort ?? '') ? (params.sort as LogColumn) : 'time';
  const delivery = /^\d{1,12}$/.test(params.delivery ?? '') ? Number(params.delivery) : 0;
  return {
    types: [...new Set(types)].sort((a, b) => a - b),
    from: fromMs === undefined ? '' : from,
    to: toMs === undefined ? '' : to,
    fromS: fromMs === undefined ? undefined : Math.ceil(fromMs / 1000),
    // A minute typed as the end includes its seconds.
    toS: toMs === undefined ? undefined : Math.floor(toMs / 1000) + (/:\d{2}:\d{2}$/.test(to) ? 0 : 59),
    rcp: (params.rcp ?? '').slice(0, 200),
    url: (params.url ?? '').slice(0, 500),
    delivery,
    sort,
    dir: params.dir === 'desc' ? 'desc' : 'asc',
  };
}

/** Hash params for a query (defaults left out, so URLs stay short). */
export function typesParam(types: readonly EventTypeCode[]): string {
  return EVENT_TYPE_CODES.filter((c) => types.includes(c))
    .map((c) => EVENT_TYPE_NAMES[c])
    .join(',');
}

/** The filters as the export header and the UI summary state them. */
export function describeFilters(q: LogsQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (q.types.length) out.type = typesParam(q.types);
  if (q.from) out.from = q.from;
  if (q.to) out.to = q.to;
  if (q.rcp) out.rcp = q.rcp;
  if (q.url) out.url = q.url;
  if (q.delivery) out.delivery = String(q.delivery);
  return out;
}

export interface EventFilter {
  /** Bit (1 << type) per type kept; 0 = every type. */
  typeMask: number;
  fromS?: number | undefined;
  toS?: number | undefined;
  /** Recipients kept, as marks by recipient id (undefined = all). */
  rcp?: Uint8Array | undefined;
  /** Tracked URLs kept, as marks by URL id (undefined = all; events without a URL never match a URL filter). */
  url?: Uint8Array | undefined;
  /** Keep events of this delivery only (the `delivery` column of the recipient tab). */
  delivery?: { column: Uint32Array; id: number } | undefined;
}

export function typeMask(types: readonly number[]): number {
  let m = 0;
  for (const c of types) m |= 1 << c;
  return m;
}

/** First position in the sorted `t` with a time ≥ `s`. */
function lowerBound(t: Uint32Array, n: number, s: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Positions of the events passing `f`, in time order. `t` must be sorted (as loadDeliveryEvents and
 * loadRecipientEvents give it): the time range becomes two binary searches.
 */
export function filterEvents(
  cols: { n: number; t: Uint32Array; type: Uint8Array; rcp: Uint32Array; url: Uint32Array },
  f: EventFilter,
): Uint32Array {
  const { n, t, type, rcp, url } = cols;
  const start = f.fromS === undefined ? 0 : lowerBound(t, n, f.fromS);
  const end = f.toS === undefined ? n : lowerBound(t, n, f.toS + 1);
  const out = new Uint32Array(Math.max(0, end - start));
  const mask = f.typeMask;
  const rcpMarks = f.rcp;
  const urlMarks = f.url;
  const dCol = f.delivery?.column;
  const dId = f.delivery?.id ?? 0;
  let k = 0;
  for (let i = start; i < end; i++) {
    if (mask !== 0 && (mask & (1 << type[i]!)) === 0) continue;
    if (rcpMarks && rcpMarks[rcp[i]!] !== 1) continue;
    if (urlMarks && urlMarks[url[i]!] !== 1) continue;
    if (dCol && dCol[i] !== dId) continue;
    out[k++] = i;
  }
  return out.slice(0, k);
}

/**
 * Ranks for sorting a column by its displayed text: `rank[id]` orders ids by `label(id)` (equal labels share a
 * rank, so the stable sort keeps them in time order), id 0 and ids without a label first.
 */
export function rankByLabel(ids: Iterable<number>, label: (id: number) => string, size: number): Uint32Array {
  const list = [...new Set(ids)].filter((id) => id > 0 && id < size);
  const labels = new Map(list.map((id) => [id, label(id)]));
  list.sort((a, b) => {
    const x = labels.get(a)!;
    const y = labels.get(b)!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const rank = new Uint32Array(size);
  let r = 0;
  let prev: string | undefined;
  for (const id of list) {
    const l = labels.get(id)!;
    if (l !== prev) r++;
    prev = l;
    rank[id] = r;
  }
  return rank;
}

/**
 * `index` reordered by the key of each event, stable (equal keys keep their order, which is time order), in O(n):
 * an LSD radix sort on the 32-bit key in two 16-bit passes, because a comparator sort of a million positions
 * takes ~0.5 s and this ~20 ms. The key of event i is `rank[values[i]]`, or `values[i]` without a rank table.
 */
export function sortIndex(index: Uint32Array, values: ArrayLike<number>, rank: ArrayLike<number> | undefined, dir: SortDir): Uint32Array {
  const n = index.length;
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[index[i]!]!;
    const key = rank ? rank[v]! : v;
    keys[i] = dir === 'desc' ? 0xffffffff - key : key;
  }
  let src: Uint32Array = index;
  let srcKeys: Uint32Array = keys;
  let dst: Uint32Array = new Uint32Array(n);
  let dstKeys: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(srcKeys[i]! >>> shift) & 0xffff]!++;
    if (counts[(srcKeys[0]! >>> shift) & 0xffff] === n) continue; // every key has these bits alike: nothing moves
    let sum = 0;
    for (let b = 0; b < 65536; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const b = (srcKeys[i]! >>> shift) & 0xffff;
      const at = counts[b]!++;
      dst[at] = src[i]!;
      dstKeys[at] = srcKeys[i]!;
    }
    [src, dst] = [dst, src];
    [srcKeys, dstKeys] = [dstKeys, srcKeys];
  }
  return src === index ? index.slice() : src;
}
