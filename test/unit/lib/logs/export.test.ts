import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { buildExport, csvCell, ExportCancelled, exportFileName, type ExportSpec } from '../../../../lib/logs/export';

const instant = (): Promise<void> => Promise.resolve();

function spec(rows: string[][]): ExportSpec {
  return {
    header: {
      title: 'Tracking logs — =Newsletter',
      timeZone: 'Europe/Stockholm',
      filters: { type: 'click', rcp: 'anna' },
      generatedAt: Date.UTC(2026, 10, 27, 9, 30),
      rows: rows.length,
    },
    columns: ['time', 'recipient', 'user_agent'],
    row: (i) => rows[i]!,
  };
}

describe('CSV neutralisation', () => {
  it.each(['=1+2', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")\nmore'])('prefixes %j with an apostrophe', (v) => {
    const cell = csvCell(v);
    const parsed = Papa.parse<string[]>(cell).data[0]![0]!;
    expect(parsed.startsWith("'")).toBe(true);
    expect(parsed.slice(1)).toBe(v);
  });
  it('leaves ordinary text alone and quotes commas and quotes', () => {
    expect(csvCell('anna@example.se')).toBe('anna@example.se');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
  });
});

describe('building an export', () => {
  const rows = Array.from({ length: 45 }, (_, i) => [`2026-10-01 09:${String(i).padStart(2, '0')}`, `r${i}@example.se`, i === 7 ? '=cmd|"/c calc"!A0' : 'Mozilla/5.0']);

  it('writes a CSV header block (zone, filters, time) then the column row and every data row', async () => {
    const text = (await buildExport('csv', spec(rows), { chunk: 10, pause: instant })).join('');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('# export,Tracking logs — =Newsletter');
    expect(text).toContain('# time zone,Europe/Stockholm');
    expect(text).toContain('# filters,type=click; rcp=anna');
    expect(text).toContain('# generated,2026-11-27T09:30:00.000Z');
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    const parsed = Papa.parse<string[]>(body.trim()).data;
    expect(parsed[0]).toEqual(['time', 'recipient', 'user_agent']);
    expect(parsed).toHaveLength(46);
    expect(parsed[8]![2]).toBe(`'=cmd|"/c calc"!A0`);
  });

  it('writes JSON with the same header and rows as objects', async () => {
    const progress: number[] = [];
    const text = (await buildExport('json', spec(rows), { chunk: 20, pause: instant, onProgress: (d) => progress.push(d) })).join('');
    const json = JSON.parse(text) as { export: Record<string, unknown>; events: Record<string, string>[] };
    expect(json.export).toMatchObject({ timeZone: 'Europe/Stockholm', filters: { type: 'click', rcp: 'anna' }, rows: 45 });
    expect(json.events).toHaveLength(45);
    expect(json.events[3]).toEqual({ time: '2026-10-01 09:03', recipient: 'r3@example.se', user_agent: 'Mozilla/5.0' });
    expect(progress).toEqual([20, 40, 45]);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    const run = buildExport('csv', spec(rows), { chunk: 10, pause: instant, onProgress: (d) => d >= 20 && ac.abort(), signal: ac.signal });
    await expect(run).rejects.toBeInstanceOf(ExportCancelled);
  });

  it('names files in ASCII', () => {
    expect(exportFileName('Nyhetsbrev: Höst <b>', 'csv', Date.UTC(2026, 10, 27, 9, 5))).toBe('tracking-logs-nyhetsbrev-host-b-20261127-0905.csv');
  });
});
