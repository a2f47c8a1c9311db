import Papa from 'papaparse';
import { EVENT_TYPE_BY_NAME, EventType, type EventTypeCode } from '../event-types';
import type { EventInput } from '../sources/source';
import { FEED_LIMITS, inRange, type ImportBatch, type ImportState } from './batch';
import { MAX_RECORD_CHARS, RecordTooLargeError } from './json-splitter';

/**
 * Any CSV of tracking events, through a column mapping the user confirms on a preview of the first rows.
 *
 * Streaming: the file comes in pieces (lib/import/reader.ts). {@link CsvChunker} cuts each piece at the last row
 * boundary: in RFC 4180 CSV a line break ends a row exactly when the number of quote characters before it is
 * even (a quote inside a quoted cell is doubled, so it never changes the parity). Papa Parse then parses each
 * whole block of rows, so a row split across two pieces, with quoted line breaks or quotes in it, is parsed whole.
 *
 * - Event id: the mapped column's value; without one, derived as `{delivery}:{recipient}:{type}:{time}:{url}`, so
 *   the same row imported twice is stored once (two identical rows in one file are then one event).
 * - Times: epoch seconds or milliseconds (told apart by size), or a date-time; one without a zone is read as UTC.
 * - Delivery: the mapped column's value, else one delivery per imported file.
 */

export const CSV_FIELDS = ['time', 'recipient', 'type', 'url', 'userAgent', 'delivery', 'eventId', 'ip'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export type TypeChoice = EventTypeCode | 'ignore';

export interface CsvMapping {
  delimiter: string;
  /** Column index per field (undefined = not in the file). `time` and `recipient` are required. */
  columns: Partial<Record<CsvField, number>>;
  /** Type values (trimmed, lower case) → event type or ignore; values not listed are guessed ({@link guessType}). */
  typeValues: Record<string, TypeChoice>;
  /** The type of every row when no column holds it (a file of clicks only, say). */
  fixedType: EventTypeCode;
}

export interface CsvPreview {
  delimiter: string;
  header: string[];
  /** The first rows after the header. */
  rows: string[][];
}

/** Cuts text pieces at row boundaries (see the module comment). */
export class CsvChunker {
  private carry = '';
  /** An odd number of quotes since the last row boundary: inside a quoted cell. */
  private odd = false;

  constructor(private readonly maxRowChars: number = MAX_RECORD_CHARS) {}

  /** Returns the complete rows so far as one text (maybe empty), keeping the incomplete last row. */
  push(piece: string): string {
    let odd = this.odd;
    let cut = -1;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      if (c === 0x22 /* " */) odd = !odd;
      else if (c === 0x0a /* \n */ && !odd) cut = i;
    }
    // The parity is even at the cut, so after it the parity is that of the rest alone.
    this.odd = odd;
    if (cut === -1) {
      this.carry += piece;
      if (this.carry.length > this.maxRowChars) throw new RecordTooLargeError(this.maxRowChars);
      return '';
    }
    const out = this.carry + piece.slice(0, cut + 1);
    this.carry = piece.slice(cut + 1);
    return out;
  }

  /** The last row, when the text does not end with a line break. */
  end(): string {
    const rest = this.carry;
    this.carry = '';
    this.odd = false;
    return rest;
  }
}

/** Parses a block of whole rows. */
export function parseCsvRows(block: string, delimiter: string): string[][] {
  if (!block) return [];
  return Papa.parse<string[]>(block, { delimiter, skipEmptyLines: 'greedy' }).data;
}

/** The delimiter, header and first rows of a file's head (up to its last complete row). */
export function previewCsv(head: string, maxRows = 10): CsvPreview | undefined {
  const text = head.replace(/^\uFEFF/, '');
  const chunker = new CsvChunker();
  const whole = chunker.push(text) || chunker.end();
  const parsed = Papa.parse<string[]>(whole, { preview: maxRows + 1, skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t', '|'] });
  const [header, ...rows] = parsed.data;
  if (!header || header.length < 2) return undefined;
  return { delimiter: parsed.meta.delimiter, header: header.map((h) => h.trim()), rows };
}

const GUESSES: Record<CsvField, RegExp> = {
  time: /^(time|timestamp|date|datetime|event_?time|occurred_?at|created_?at|clicked_?at|opened_?at|logdate|@timestamp)$/i,
  recipient: /^(email|e-?mail_?address|recipient|to|to_?email|address|contact|subscriber)$/i,
  type: /^(type|event|event_?type|event_?name|action|activity)$/i,
  url: /^(url|link|href|clicked_?url|target)$/i,
  userAgent: /^(user_?agent|useragent|ua|agent|browser)$/i,
  delivery: /^(delivery|campaign|campaign_?(id|name)|mailing|newsletter|subject|message_?subject)$/i,
  eventId: /^(id|event_?id|eventid|sg_event_id|uuid)$/i,
  ip: /^(ip|ip_?address|client_?ip)$/i,
};

/** Columns chosen from the header names, for the user to confirm. */
export function guessColumns(header: string[]): Partial<Record<CsvField, number>> {
  const out: Partial<Record<CsvField, number>> = {};
  for (const field of CSV_FIELDS) {
    const i = header.findIndex((h, k) => GUESSES[field].test(h.trim()) && !Object.values(out).includes(k));
    if (i !== -1) out[field] = i;
  }
  return out;
}

/** An event type for a provider's word for it, or undefined when it is not a tracking event we know. */
export function guessType(value: string): EventTypeCode | undefined {
  const v = value.trim().toLowerCase();
  if (/^[1-6]$/.test(v)) return Number(v) as EventTypeCode;
  const named = EVENT_TYPE_BY_NAME[v];
  if (named !== undefined) return named;
  if (/^(open|opened|opens|email_?open(ed)?|open_?event)$/.test(v)) return EventType.open;
  if (/^(click|clicked|clicks|email_?click(ed)?|link_?click(ed)?)$/.test(v)) return EventType.click;
  if (/^(unsub|unsubscribe|unsubscribed|opt_?out|optout|opted_?out|group_?unsubscribe)$/.test(v)) return EventType.optOut;
  if (/^(mirror|mirror_?page|view_?in_?browser|web_?version)$/.test(v)) return EventType.mirror;
  return undefined;
}

/** Epoch ms of a CSV time cell, NaN when it is not one (see the module comment). */
export function csvTime(cell: string): number {
  const v = cell.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return inRange(Math.floor(n < 1e11 ? n * 1000 : n));
  }
  const local = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(:\d\d(\.\d+)?)?)$/.exec(v);
  if (local) return inRange(Date.parse(`${local[1]}T${local[2]}Z`));
  if (!/^\d{4}-\d\d-\d\d/.test(v) && !/[a-z]{3}/i.test(v)) return Number.NaN;
  return inRange(Date.parse(v));
}

function cellOf(cells: string[], i: number | undefined): string | undefined {
  if (i === undefined) return undefined;
  const v = cells[i]?.trim();
  return v ? v : undefined;
}

export function mapCsvRow(
  cells: string[],
  width: number,
  mapping: CsvMapping,
  batch: ImportBatch,
  state: ImportState,
): void {
  const raw = (): string => Papa.unparse([cells], { delimiter: mapping.delimiter });
  if (cells.length !== width) return batch.reject(`wrong number of cells (${cells.length}, the header has ${width})`, raw());
  const c = mapping.columns;
  const timeCell = cellOf(cells, c.time);
  if (timeCell === undefined) return batch.reject('time: empty', raw());
  const time = csvTime(timeCell);
  if (Number.isNaN(time)) return batch.reject('time: not a date', raw());
  const recipient = cellOf(cells, c.recipient);
  if (recipient === undefined) return batch.reject('recipient: empty', raw());
  if (recipient.length > FEED_LIMITS.recipient) return batch.reject('recipient: too long', raw());
  let type: TypeChoice | undefined = mapping.fixedType;
  if (c.type !== undefined) {
    const value = (cells[c.type] ?? '').trim();
    const key = value.toLowerCase();
    type = key in mapping.typeValues ? mapping.typeValues[key] : guessType(value);
    if (type === undefined) return batch.reject(`type: no event type chosen for "${value.slice(0, 40)}"`, raw());
    if (type === 'ignore') return batch.skip(value.slice(0, 40));
  }
  const url = cellOf(cells, c.url);
  if (url !== undefined && url.length > FEED_LIMITS.url) return batch.reject('url: too long', raw());
  const userAgent = cellOf(cells, c.userAgent)?.slice(0, FEED_LIMITS.userAgent);
  const ip = cellOf(cells, c.ip)?.slice(0, FEED_LIMITS.ip);
  const delivery = cellOf(cells, c.delivery)?.slice(0, FEED_LIMITS.label);
  let deliveryExtId: string;
  if (delivery !== undefined) {
    deliveryExtId = `csv:${delivery}`;
    state.delivery(batch, deliveryExtId, delivery);
  } else {
    deliveryExtId = state.fallbackDelivery.extId;
    state.delivery(batch, deliveryExtId, state.fallbackDelivery.label);
  }
  const eventId = cellOf(cells, c.eventId);
  const e: EventInput = {
    id: eventId ?? `${deliveryExtId}:${recipient}:${type}:${time}:${url ?? ''}`,
    deliveryExtId,
    recipient,
    type,
    time,
    url,
    userAgent,
    ip,
  };
  batch.addEvent(e);
}
