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
export const MACHINE_GIVEN = 16;
export const PROXY_GIVEN = 32;

/** Slots of the string fields {@link PackedEventsBuilder.pushSpans} takes as spans of a page body. */
export const SPAN_ID = 0;
export const SPAN_DELIVERY = 1;
export const SPAN_RECIPIENT = 2;
export const SPAN_URL = 3;
export const SPAN_HREF = 4;
export const SPAN_USER_AGENT = 5;
export const SPAN_IP = 6;
export const SPAN_PERSON = 7;
export const SPAN_FIELDS = 8;
const DIRTY = -2;

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

/**
 * The buffers under a page's columns, each once: a postMessage that transfers them moves them to the receiver instead
 * of copying them, and leaves the sender's columns empty (the builder made each column a buffer of its own).
 */
export function transferablesOf(p: PackedEvents): ArrayBuffer[] {
  const columns = [p.time, p.type, p.bits, p.id.ends, p.recipient.ends, p.person.ends, p.ip.ends, p.delivery.index, p.urlExtId.index, p.url.index, p.userAgent.index];
  return [...new Set(columns.map((c) => c.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
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

/** Slots of {@link CodedBuilder}'s cache of recent values (a power of two, at most 256). */
const CODED_CACHE = 256;

/** The cache slot of `body[from, to)`: its length and three of its characters, mixed. */
function cacheSlot(body: string, from: number, to: number): number {
  const len = to - from;
  let h = Math.imul(len ^ body.charCodeAt(to - 1), 0x9e3779b1);
  h = Math.imul(h ^ body.charCodeAt(to - 2), 0x85ebca6b);
  h = Math.imul(h ^ body.charCodeAt(from + (len >> 1)), 0xc2b2ae35);
  return (h >>> 24) & (CODED_CACHE - 1);
}

/**
 * Whether `s[from, to)` holds no backslash and no control character: text that means what it shows in a JSON string
 * (no escape) and that JSON allows there raw.
 */
export function plainJsonText(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x20 || c === 0x5c) return false;
  }
  return true;
}

class CodedBuilder {
  private readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  private index = new Int32Array(1024);
  /** Values lately seen, by a cheap hash of their text, with their index in `values`: see {@link pushSpan}. */
  private readonly cache: (string | undefined)[] = new Array<string | undefined>(CODED_CACHE).fill(undefined);
  private readonly cacheIndex = new Int32Array(CODED_CACHE);
  /** The slot the last {@link cached} call looked at. */
  private slot = 0;

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

  /**
   * The index of `body[from, to)` among the values lately seen (see {@link pushSpan}), or -1. A page repeats a few
   * agents, URLs and deliveries on thousands of lines: comparing the text in place costs less than cutting out a
   * new string, hashing it and looking it up in a Map on every line.
   */
  cached(body: string, from: number, to: number): number {
    const slot = cacheSlot(body, from, to);
    this.slot = slot;
    const seen = this.cache[slot];
    return seen !== undefined && seen.length === to - from && body.startsWith(seen, from) ? this.cacheIndex[slot]! : -1;
  }

  /**
   * `body[from, to)` as value `i` (from < 0: none); `known`: its {@link cached} index, just asked for (a new value
   * takes the slot that call looked at), else -1.
   */
  pushSpan(i: number, body: string, from: number, to: number, known: number): void {
    if (i >= this.index.length) this.index = grown(this.index, i + 1);
    if (from < 0) this.index[i] = -1;
    else if (known >= 0) this.index[i] = known;
    else {
      const v = body.slice(from, to);
      this.push(i, v);
      this.cache[this.slot] = v;
      this.cacheIndex[this.slot] = this.index[i]!;
    }
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
    const i = this.add(
      time,
      type,
      (machine ? MACHINE : 0) |
        (proxy ? PROXY : 0) |
        (person !== undefined ? HAS_PERSON : 0) |
        (ip !== undefined ? HAS_IP : 0) |
        (machine !== undefined ? MACHINE_GIVEN : 0) |
        (proxy !== undefined ? PROXY_GIVEN : 0),
    );
    this.id.push(i, id);
    this.recipient.push(i, recipient);
    this.person.push(i, person ?? '');
    this.ip.push(i, ip ?? '');
    this.delivery.push(i, delivery);
    this.urlExtId.push(i, urlExtId);
    this.url.push(i, url);
    this.userAgent.push(i, userAgent);
  }

  /**
   * One event read in place from `body` by the feed's line scanner: `at[f]` / `to[f]` bound the text of string
   * field `f` (one of the `SPAN_*` slots; `at[f]` < 0 when absent), otherwise validated; `type`, `time` and the
   * MACHINE/PROXY/… `flags` bits decoded. The one check left to here is the text's: false, with nothing added, when
   * a string holds an escape or a control character (JSON.parse decides those lines). A value met on an earlier
   * line (the agents, URLs and deliveries a page repeats) was checked then.
   */
  pushSpans(body: string, at: Int32Array, to: Int32Array, type: EventTypeCode, time: number, flags: number): boolean {
    const person = at[SPAN_PERSON]!;
    const ip = at[SPAN_IP]!;
    if (
      !plainJsonText(body, at[SPAN_ID]!, to[SPAN_ID]!) ||
      !plainJsonText(body, at[SPAN_RECIPIENT]!, to[SPAN_RECIPIENT]!) ||
      (person >= 0 && !plainJsonText(body, person, to[SPAN_PERSON]!)) ||
      (ip >= 0 && !plainJsonText(body, ip, to[SPAN_IP]!))
    ) {
      return false;
    }
    const delivery = this.known(this.delivery, body, at[SPAN_DELIVERY]!, to[SPAN_DELIVERY]!);
    const urlExtId = this.known(this.urlExtId, body, at[SPAN_URL]!, to[SPAN_URL]!);
    const url = this.known(this.url, body, at[SPAN_HREF]!, to[SPAN_HREF]!);
    const userAgent = this.known(this.userAgent, body, at[SPAN_USER_AGENT]!, to[SPAN_USER_AGENT]!);
    if (delivery === DIRTY || urlExtId === DIRTY || url === DIRTY || userAgent === DIRTY) return false;

    const i = this.add(time, type, flags | (person >= 0 ? HAS_PERSON : 0) | (ip >= 0 ? HAS_IP : 0));
    this.id.push(i, body.slice(at[SPAN_ID]!, to[SPAN_ID]!));
    this.recipient.push(i, body.slice(at[SPAN_RECIPIENT]!, to[SPAN_RECIPIENT]!));
    this.person.push(i, person >= 0 ? body.slice(person, to[SPAN_PERSON]!) : '');
    this.ip.push(i, ip >= 0 ? body.slice(ip, to[SPAN_IP]!) : '');
    this.delivery.pushSpan(i, body, at[SPAN_DELIVERY]!, to[SPAN_DELIVERY]!, delivery);
    this.urlExtId.pushSpan(i, body, at[SPAN_URL]!, to[SPAN_URL]!, urlExtId);
    this.url.pushSpan(i, body, at[SPAN_HREF]!, to[SPAN_HREF]!, url);
    this.userAgent.pushSpan(i, body, at[SPAN_USER_AGENT]!, to[SPAN_USER_AGENT]!, userAgent);
    return true;
  }

  /** Starts event i (the next) with its fixed-width fields; returns i. */
  private add(time: number, type: EventTypeCode, bits: number): number {
    const i = this.n++;
    if (i >= this.time.length) {
      this.time = grown(this.time, i + 1);
      this.type = grown(this.type, i + 1);
      this.bits = grown(this.bits, i + 1);
    }
    this.time[i] = time;
    this.type[i] = type;
    this.bits[i] = bits;
    return i;
  }

  /** A coded span's cached index, -1 when it is new (or absent) and plain, DIRTY when its text is not plain. */
  private known(column: CodedBuilder, body: string, from: number, to: number): number {
    if (from < 0) return -1;
    const k = column.cached(body, from, to);
    return k >= 0 || plainJsonText(body, from, to) ? k : DIRTY;
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
