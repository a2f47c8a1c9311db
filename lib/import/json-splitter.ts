/**
 * Splits a JSON text that arrives in pieces into the texts of its records, without ever holding more than one
 * record (plus the current piece) in memory. It accepts every shape the push formats are saved in:
 *
 * - one JSON array of objects (`[{…},{…}]`, pretty-printed or not): SendGrid and Mailjet webhook batches;
 * - NDJSON / JSON lines (one object per line, `\n` or `\r\n`): our own feed, SES from Firehose;
 * - objects back to back with no delimiter (`{…}{…}`): Firehose → S3 objects (esp-formats.md §5.5, "Quirk");
 * - arrays back to back or one per line (`[…]\n[…]`): webhook POST bodies appended to one file.
 *
 * A UTF-8 byte order mark, whitespace and commas between records are skipped. A line of something else (not an
 * object) is handed out as one record so that the caller rejects it with a reason rather than losing it silently.
 *
 * Why hand-written: JSON.parse needs the whole text, and the streaming JSON parsers on npm build values
 * character by character, several times slower than V8's JSON.parse of each record text (measured in
 * ../shared/architecture.md: parsing is the ingest limit). This only finds where records start and end: it tracks
 * strings (with their escapes) and bracket depth, jumping through strings with indexOf.
 */

/** A record longer than this (UTF-16 code units) means a broken or non-JSON file, not a big record. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export class RecordTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`A record is longer than ${limit} characters or never ends`);
    this.name = 'RecordTooLargeError';
  }
}

// Splitter states (plain numbers: the hot loop compares them).
/** Between records. */
const BETWEEN = 0;
/** Inside an object or array record, outside strings. */
const VALUE = 1;
/** Inside a string of a record. */
const STRING = 2;
/** A line that is not a JSON object: collected up to the end of the line. */
const JUNK = 3;
type Mode = typeof BETWEEN | typeof VALUE | typeof STRING | typeof JUNK;

export class JsonRecordSplitter {
  private mode: Mode = BETWEEN;
  /** Bracket depth inside the current record. */
  private depth = 0;
  /** The previous piece ended right after a backslash inside a string. */
  private escape = false;
  /** Inside a top-level array (records are its items). */
  private inArray = false;
  /** The start of the current record from earlier pieces. */
  private carry = '';

  constructor(private readonly maxRecordChars: number = MAX_RECORD_CHARS) {}

  /** Feeds the next piece of text; returns the records it completed, in order. */
  push(s: string): string[] {
    const out: string[] = [];
    const n = s.length;
    let start = this.mode === BETWEEN ? -1 : 0;
    let i = 0;
    let nextBackslash = s.indexOf('\\');
    while (i < n) {
      switch (this.mode) {
        case BETWEEN: {
          const c = s.charCodeAt(i);
          if (c === 0x7b /* { */) {
            this.mode = VALUE;
            this.depth = 1;
            start = i;
          } else if (c === 0x5b /* [ */) {
            if (this.inArray) {
              // An array inside the top-level array: a record of its own (the caller says it is not an object).
              this.mode = VALUE;
              this.depth = 1;
              start = i;
            } else {
              this.inArray = true;
            }
          } else if (c === 0x5d /* ] */) {
            this.inArray = false;
          } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x2c /* , */ && c !== 0xfeff) {
            this.mode = JUNK;
            start = i;
            continue; // the Junk case looks at this same character
          }
          i++;
          break;
        }
        case STRING: {
          if (this.escape) {
            this.escape = false;
            i++;
            break;
          }
          if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = s.indexOf('\\', i);
          const q = s.indexOf('"', i);
          if (nextBackslash !== -1 && (q === -1 || nextBackslash < q)) {
            // Skip the escaped character (it may be a quote); it may be in the next piece.
            i = nextBackslash + 2;
            if (i > n) {
              this.escape = true;
              i = n;
            }
            break;
          }
          if (q === -1) {
            i = n;
            break;
          }
          i = q + 1;
          this.mode = VALUE;
          break;
        }
        case VALUE: {
          // Outside strings a record holds only short tokens: look at each character.
          for (; i < n; i++) {
            const c = s.charCodeAt(i);
            if (c === 0x22 /* " */) {
              this.mode = STRING;
              i++;
              break;
            }
            if (c === 0x7b || c === 0x5b) this.depth++;
            else if ((c === 0x7d /* } */ || c === 0x5d) /* ] */ && --this.depth === 0) {
              i++;
              this.emit(out, s, start, i);
              start = -1;
              break;
            }
          }
          break;
        }
        case JUNK: {
          const e = s.indexOf('\n', i);
          if (e === -1) {
            i = n;
            break;
          }
          this.emit(out, s, start, e);
          start = -1;
          i = e + 1;
          break;
        }
      }
    }
    if (this.mode !== BETWEEN && start !== -1) {
      this.carry += start === 0 ? s : s.slice(start);
      if (this.carry.length > this.maxRecordChars) throw new RecordTooLargeError(this.maxRecordChars);
    }
    return out;
  }

  /**
   * Ends the text. Returns a last line of junk, if any, as a record, and `truncated` (the text of a record that
   * never closed, cut to 300 characters) when the text stopped inside one.
   */
  end(): { records: string[]; truncated: string | undefined } {
    const text = this.carry;
    const mode = this.mode;
    this.carry = '';
    this.mode = BETWEEN;
    this.depth = 0;
    this.escape = false;
    this.inArray = false;
    if (mode === JUNK) {
      const trimmed = text.trim();
      return { records: trimmed ? [trimmed] : [], truncated: undefined };
    }
    if (mode === VALUE || mode === STRING) return { records: [], truncated: text.slice(0, 300) };
    return { records: [], truncated: undefined };
  }

  private emit(out: string[], s: string, start: number, end: number): void {
    let text = start === -1 ? '' : s.slice(start, end);
    if (this.carry) {
      text = this.carry + text;
      this.carry = '';
    }
    if (text.length > this.maxRecordChars) throw new RecordTooLargeError(this.maxRecordChars);
    if (this.mode === JUNK) {
      text = text.trim();
      if (!text) {
        this.mode = BETWEEN;
        return;
      }
    }
    this.mode = BETWEEN;
    out.push(text);
  }
}
