import Papa from 'papaparse';

/**
 * Exports of the Tracking logs (and the recipient tab) as CSV or JSON, with provenance (product.md, "Exports with
 * provenance"): a header saying what was exported, in which time zone, with which filters, and when.
 *
 * Built in chunks that yield to the event loop between them, so a million rows export without freezing the page,
 * with progress and cancellation; the parts become one Blob (the browser keeps them out of the JS heap).
 *
 * CSV cells that a spreadsheet would run as a formula (starting with = + - @ tab or carriage return: OWASP "CSV
 * injection") are prefixed with an apostrophe (papaparse's `escapeFormulae`); every cell comes from a source and is
 * untrusted, the header block's included (see FORMULA_LEADING).
 */

export type ExportFormat = 'csv' | 'json';

export interface ExportHeader {
  /** What was exported, e.g. "Tracking logs — Newsletter 1". */
  title: string;
  timeZone: string;
  /** The filters applied (name → value); empty when none. */
  filters: Record<string, string>;
  /** When the export was made, epoch ms. */
  generatedAt: number;
  rows: number;
}

export interface ExportSpec {
  header: ExportHeader;
  columns: readonly string[];
  /** The cells of row `i` (0 ≤ i < header.rows), in column order. */
  row: (i: number) => readonly string[];
}

export interface ExportOptions {
  /** Rows per chunk between yields. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Yields to the event loop; tests pass an instant one. */
  pause?: () => Promise<void>;
}

/**
 * Our own pattern rather than `escapeFormulae: true`: papaparse's default (/^[=+\-@\t\r].*$/) has no `s` flag, so a
 * cell like "=HYPERLINK(…)\nmore" (a newline inside) does not match it and would go out unescaped.
 */
export const FORMULA_LEADING = /^[=+\-@\t\r]/;
const UNPARSE: Papa.UnparseConfig = { escapeFormulae: FORMULA_LEADING, newline: '\r\n' };

/** A single CSV cell as the export writes it (formula-leading text neutralised, quoted when needed). */
export function csvCell(value: string): string {
  return Papa.unparse([[value]], UNPARSE);
}

/** The header block: `# key,value` rows, then an empty line, before the column names. */
export function csvHeader(h: ExportHeader): string {
  const filters = Object.entries(h.filters).map(([k, v]) => `${k}=${v}`).join('; ');
  const rows = [
    ['# export', h.title],
    ['# time zone', h.timeZone],
    ['# filters', filters || 'none'],
    ['# generated', new Date(h.generatedAt).toISOString()],
    ['# rows', String(h.rows)],
  ];
  return Papa.unparse(rows, UNPARSE) + '\r\n\r\n';
}

const defaultPause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class ExportCancelled extends Error {
  constructor() {
    super('Export cancelled');
    this.name = 'ExportCancelled';
  }
}

/** The export's parts (strings to put in a Blob), built chunk by chunk. Throws ExportCancelled when aborted. */
export async function buildExport(format: ExportFormat, spec: ExportSpec, options: ExportOptions = {}): Promise<string[]> {
  const { header, columns, row } = spec;
  const chunk = options.chunk ?? 20_000;
  const pause = options.pause ?? defaultPause;
  const total = header.rows;
  const parts: string[] = [];
  if (format === 'csv') parts.push(csvHeader(header), Papa.unparse([columns as string[]], UNPARSE) + '\r\n');
  else {
    const meta = { ...header, generatedAt: new Date(header.generatedAt).toISOString(), columns };
    parts.push(`{"export":${JSON.stringify(meta)},"events":[`);
  }
  for (let start = 0; start < total; start += chunk) {
    if (options.signal?.aborted) throw new ExportCancelled();
    const end = Math.min(total, start + chunk);
    if (format === 'csv') {
      const rows: string[][] = [];
      for (let i = start; i < end; i++) rows.push(row(i) as string[]);
      parts.push(Papa.unparse(rows, UNPARSE) + '\r\n');
    } else {
      const objs: string[] = [];
      for (let i = start; i < end; i++) {
        const cells = row(i);
        const o: Record<string, string> = {};
        columns.forEach((c, j) => (o[c] = cells[j] ?? ''));
        objs.push(JSON.stringify(o));
      }
      parts.push((start > 0 ? ',' : '') + objs.join(','));
    }
    options.onProgress?.(end, total);
    await pause();
  }
  if (options.signal?.aborted) throw new ExportCancelled();
  if (format === 'json') parts.push(']}');
  return parts;
}

/** A file name for the export: `tracking-logs-<slug>-<yyyymmdd-hhmm>.<ext>` (ASCII only). */
export function exportFileName(slug: string, format: ExportFormat, at: number): string {
  const clean = slug
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // the accents NFKD split off: "Höst" → "Host"
    .replace(/[^\w-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .toLowerCase();
  const stamp = new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `tracking-logs-${clean || 'export'}-${stamp}.${format}`;
}
