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
  /** Bit 0 machine, 1 proxy, 2 has person, 3 has IP, 4 machine given (true or false), 5 proxy given. */
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

export interface Joined {
  text: string;
  /** End offset of value i in `text` (its start is the end of value i - 1). */
  ends: Uint32Array;
}

export interface Coded {
  values: string[];
  /** Index in `values` per event, -1 when the event has none. */
  index: Int32Array;
}

export const MACHINE = 1;
export const PROXY = 2;
export const HAS_PERSON = 4;
export const HAS_IP = 8;
const MACHINE_GIVEN = 16;
const PROXY_GIVEN = 32;

export function packEvents(events: readonly EventInput[]): PackedEvents {
  const b = new PackedEventsBuilder();
  for (const e of events) b.pushEvent(e);
  return b.finish();
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
      machine: b & MACHINE_GIVEN ? (b & MACHINE) !== 0 : undefined,
      proxy: b & PROXY_GIVEN ? (b & PROXY) !== 0 : undefined,
    };
  }
  return out;
}

/** How many events a page holds, in either shape. */
export function eventCount(events: readonly EventInput[] | PackedEvents): number {
  return isPacked(events) ? events.n : events.length;
}

export function isPacked(events: readonly EventInput[] | PackedEvents): events is PackedEvents {
  return !Array.isArray(events);
}

/** The events as columns (packed here when they came as objects). */
export function packedOf(events: readonly EventInput[] | PackedEvents): PackedEvents {
  return isPacked(events) ? events : packEvents(events);
}

/** The events as objects (unpacked when they came as columns): for tests and the few readers that want objects. */
export function eventList(events: readonly EventInput[] | PackedEvents): EventInput[] {
  return isPacked(events) ? unpackEvents(events) : [...events];
}

/** Start and end of value `i` of a joined column in its `text`. */
export function joinedStart(j: Joined, i: number): number {
  return i === 0 ? 0 : j.ends[i - 1]!;
}

/** Grows `a` to hold at least `min` elements (doubling), keeping its contents. */
function grown<A extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: A, min: number): A {
  if (a.length >= min) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(min, a.length * 2));
  b.set(a);
  return b;
}

class JoinedBuilder {
  private parts: string[] = [];
  private ends = new Uint32Array(1024);
  private at = 0;

  push(i: number, v: string): void {
    this.parts.push(v);
    this.at += v.length;
    if (i >= this.ends.length) this.ends = grown(this.ends, i + 1);
    this.ends[i] = this.at;
  }

  finish(n: number): Joined {
    return { text: this.parts.join(''), ends: this.ends.slice(0, n) };
  }
}

class CodedBuilder {
  private readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  private index = new Int32Array(1024);

  push(i: number, v: string | undefined): void {
    if (i >= this.index.length) this.index = grown(this.index, i + 1);
    if (v === undefined) {
      this.index[i] = -1;
      return;
    }
    let k = this.ids.get(v);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(v);
      this.ids.set(v, k);
    }
    this.index[i] = k;
  }

  finish(n: number): Coded {
    return { values: this.values, index: this.index.slice(0, n) };
  }
}

/**
 * Builds a page's {@link PackedEvents} one event at a time, with no object per event: the feed parser's line scanner
 * (lib/sources/feed-format.ts) hands each event's fields straight here. Packing a page of objects afterwards cost the
 * feed thread about half a second per million events, with the collection of those objects on top.
 */
export class PackedEventsBuilder {
  n = 0;
  private time = new Float64Array(1024);
  private type = new Uint8Array(1024);
  private bits = new Uint8Array(1024);
  private readonly id = new JoinedBuilder();
  private readonly recipient = new JoinedBuilder();
  private readonly person = new JoinedBuilder();
  private readonly ip = new JoinedBuilder();
  private readonly delivery = new CodedBuilder();
  private readonly urlExtId = new CodedBuilder();
  private readonly url = new CodedBuilder();
  private readonly userAgent = new CodedBuilder();

  /** One event's fields, validated by the caller (absent optional ones undefined). */
  push(
    id: string,
    delivery: string,
    recipient: string,
    type: EventTypeCode,
    time: number,
    urlExtId: string | undefined,
    url: string | undefined,
    userAgent: string | undefined,
    ip: string | undefined,
    person: string | undefined,
    machine: boolean | undefined,
    proxy: boolean | undefined,
  ): void {
    const i = this.n++;
    if (i >= this.time.length) {
      this.time = grown(this.time, i + 1);
      this.type = grown(this.type, i + 1);
      this.bits = grown(this.bits, i + 1);
    }
    this.time[i] = time;
    this.type[i] = type;
    this.bits[i] =
      (machine ? MACHINE : 0) |
      (proxy ? PROXY : 0) |
      (person !== undefined ? HAS_PERSON : 0) |
      (ip !== undefined ? HAS_IP : 0) |
      (machine !== undefined ? MACHINE_GIVEN : 0) |
      (proxy !== undefined ? PROXY_GIVEN : 0);
    this.id.push(i, id);
    this.recipient.push(i, recipient);
    this.person.push(i, person ?? '');
    this.ip.push(i, ip ?? '');
    this.delivery.push(i, delivery);
    this.urlExtId.push(i, urlExtId);
    this.url.push(i, url);
    this.userAgent.push(i, userAgent);
  }

  pushEvent(e: EventInput): void {
    this.push(e.id, e.deliveryExtId, e.recipient, e.type, e.time, e.urlExtId, e.url, e.userAgent, e.ip, e.person, e.machine, e.proxy);
  }

  finish(): PackedEvents {
    const { n } = this;
    return {
      n,
      time: this.time.slice(0, n),
      type: this.type.slice(0, n),
      bits: this.bits.slice(0, n),
      id: this.id.finish(n),
      recipient: this.recipient.finish(n),
      person: this.person.finish(n),
      ip: this.ip.finish(n),
      delivery: this.delivery.finish(n),
      urlExtId: this.urlExtId.finish(n),
      url: this.url.finish(n),
      userAgent: this.userAgent.finish(n),
    };
  }
}
