import { JsonRecordSplitter } from './json-splitter';
import { previewCsv } from './csv';

/** The file formats the import reads. */
export const IMPORT_FORMATS = ['sendgrid', 'ses', 'mailjet', 'feed', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Why a file's head matches no format, in words the page turns into a sentence. */
export type DetectProblem = 'empty' | 'html' | 'binary' | 'unknown-json' | 'not-json';

export type Detection = { format: ImportFormat } | { format: undefined; problem: DetectProblem };

/** Bytes of a file read to detect its format (and preview a CSV). */
export const HEAD_BYTES = 64 * 1024;

/** The format one JSON record belongs to, by the fields only that format has. */
export function classifyRecord(rec: unknown): ImportFormat | undefined {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return undefined;
  const o = rec as Record<string, unknown>;
  if ('sg_event_id' in o || 'sg_message_id' in o || ('event' in o && 'email' in o && 'timestamp' in o)) return 'sendgrid';
  if ('eventType' in o || 'notificationType' in o || (o.Type === 'Notification' && typeof o.Message === 'string')) {
    return 'ses';
  }
  if ('event' in o && 'time' in o && ('MessageID' in o || 'mj_campaign_id' in o || 'Message_GUID' in o)) return 'mailjet';
  if (o.kind === 'event' || o.kind === 'delivery' || o.kind === 'url') return 'feed';
  return undefined;
}

/** NUL and the other control characters no text file has (tab, line breaks, form feed and ESC aside). */
function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x08 || (c >= 0x0e && c <= 0x1a)) return true;
  }
  return false;
}

/**
 * Detects the format from the first bytes of a file (decoded): JSON records are told apart by their fields (the
 * first few complete records vote, the first known one wins); anything else with a delimited header row is CSV.
 */
export function detectFormat(head: string): Detection {
  const start = head.search(/[^\s\uFEFF]/);
  if (start === -1) return { format: undefined, problem: 'empty' };
  const first = head.charAt(start);
  // NUL or other control characters: a zip, an image, a spreadsheet, not text.
  if (hasControlCharacters(head.slice(0, 4096))) return { format: undefined, problem: 'binary' };
  if (first === '<') return { format: undefined, problem: 'html' };
  if (first === '{' || first === '[') {
    const splitter = new JsonRecordSplitter();
    let records: string[];
    try {
      records = splitter.push(head);
    } catch {
      records = [];
    }
    let parsed = 0;
    for (const text of records.slice(0, 20)) {
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch {
        continue;
      }
      parsed++;
      const format = classifyRecord(rec);
      if (format) return { format };
    }
    if (records.length === 0) {
      // The first record is longer than the head: judge by the field names in it.
      if (/"sg_event_id"\s*:/.test(head)) return { format: 'sendgrid' };
      if (/"eventType"\s*:/.test(head)) return { format: 'ses' };
      if (/"Message_GUID"\s*:|"mj_campaign_id"\s*:/.test(head)) return { format: 'mailjet' };
      if (/"kind"\s*:\s*"(event|delivery|url)"/.test(head)) return { format: 'feed' };
    }
    return { format: undefined, problem: parsed > 0 || records.length === 0 ? 'unknown-json' : 'not-json' };
  }
  return previewCsv(head) ? { format: 'csv' } : { format: undefined, problem: 'not-json' };
}
