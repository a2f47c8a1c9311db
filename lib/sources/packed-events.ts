import type { EventTypeCode } from '../event-types';
import type { EventInput } from './source';

/**
 * A page's events in columns, to hand them from the thread that parsed them to the service worker
 * (lib/sources/feed-thread.ts) for a few copies of flat memory rather than a structured clone of every event object:
 * cloning objects costs about a microsecond each on both sides, which would eat what parsing off the worker saves.
 *
 * - Strings of many values (event id, recipient, person, IP) are one joined string each, with the end of every value:
 *   one copy to send, and a slice per event to read back (V8 makes a slice a view of the joined string, so the strings
 *   the store keeps past the page are copied there, as with the page body: lib/workflow/strings.ts).
 * - Strings of few values (delivery id, tracked-URL id, URL, user agent) are each a list of distinct values and an
 *   index per event (-1: none), so an agent repeated on every line stays one string object, as the parser made it.
 */
export interface PackedEvents {
  n: number;
  time: Float64Array;
  type: Uint8Array;
  /** Bit 0 machine, 1 proxy, 2 has person, 3 has IP. */
  bits: Uint8Array;
  id: Joined;
  recipient: Joined;
  person: Joined;
  ip: Joined;
  delivery: Coded;
  urlExtId: Coded;
  url: Coded;
  userAgent: Coded;
}

interface Joined {
  text: string;
  /** End offset of value i in `text` (its start is the end of value i - 1). */
  ends: Uint32Array;
}

interface Coded {
  values: string[];
  /** Index in `values` per event, -1 when the event has none. */
  index: Int32Array;
}

const MACHINE = 1;
const PROXY = 2;
const HAS_PERSON = 4;
const HAS_IP = 8;

function joined(events: readonly EventInput[], get: (e: EventInput) => string | undefined): Joined {
  const ends = new Uint32Array(events.length);
  const parts: string[] = new Array<string>(events.length);
  let at = 0;
  for (let i = 0; i < events.length; i++) {
    const v = get(events[i]!) ?? '';
    parts[i] = v;
    at += v.length;
    ends[i] = at;
  }
  return { text: parts.join(''), ends };
}

function coded(events: readonly EventInput[], get: (e: EventInput) => string | undefined): Coded {
  const values: string[] = [];
  const ids = new Map<string, number>();
  const index = new Int32Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const v = get(events[i]!);
    if (v === undefined) {
      index[i] = -1;
      continue;
    }
    let k = ids.get(v);
    if (k === undefined) {
      k = values.length;
      values.push(v);
      ids.set(v, k);
    }
    index[i] = k;
  }
  return { values, index };
}

export function packEvents(events: readonly EventInput[]): PackedEvents {
  const n = events.length;
  const time = new Float64Array(n);
  const type = new Uint8Array(n);
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    time[i] = e.time;
    type[i] = e.type;
    bits[i] = (e.machine ? MACHINE : 0) | (e.proxy ? PROXY : 0) | (e.person !== undefined ? HAS_PERSON : 0) | (e.ip !== undefined ? HAS_IP : 0);
  }
  return {
    n,
    time,
    type,
    bits,
    id: joined(events, (e) => e.id),
    recipient: joined(events, (e) => e.recipient),
    person: joined(events, (e) => e.person),
    ip: joined(events, (e) => e.ip),
    delivery: coded(events, (e) => e.deliveryExtId),
    urlExtId: coded(events, (e) => e.urlExtId),
    url: coded(events, (e) => e.url),
    userAgent: coded(events, (e) => e.userAgent),
  };
}

/** The events again, equal field by field to those packed (absent optional fields are undefined). */
export function unpackEvents(p: PackedEvents): EventInput[] {
  const out = new Array<EventInput>(p.n);
  const { time, type, bits } = p;
  const str = (j: Joined, i: number): string => j.text.slice(i === 0 ? 0 : j.ends[i - 1]!, j.ends[i]!);
  const val = (c: Coded, i: number): string | undefined => {
    const k = c.index[i]!;
    return k < 0 ? undefined : c.values[k];
  };
  for (let i = 0; i < p.n; i++) {
    const b = bits[i]!;
    out[i] = {
      id: str(p.id, i),
      deliveryExtId: val(p.delivery, i) ?? '',
      recipient: str(p.recipient, i),
      type: type[i] as EventTypeCode,
      time: time[i]!,
      urlExtId: val(p.urlExtId, i),
      url: val(p.url, i),
      userAgent: val(p.userAgent, i),
      ip: b & HAS_IP ? str(p.ip, i) : undefined,
      person: b & HAS_PERSON ? str(p.person, i) : undefined,
      machine: b & MACHINE ? true : undefined,
      proxy: b & PROXY ? true : undefined,
    };
  }
  return out;
}
