import { describe, expect, it } from 'vitest';
import { JsonRecordSplitter, RecordTooLargeError } from '../../../../lib/import/json-splitter';

/** Feeds `text` in pieces of `size` characters and returns every record text, the end's included. */
function split(text: string, size: number): { records: string[]; truncated: string | undefined } {
  const s = new JsonRecordSplitter();
  const records: string[] = [];
  for (let i = 0; i < text.length; i += size) records.push(...s.push(text.slice(i, i + size)));
  const end = s.end();
  return { records: [...records, ...end.records], truncated: end.truncated };
}

/** Every piece size from 1 to the whole text: each boundary falls once inside every token. */
function everySplit(text: string): string[][] {
  const out: string[][] = [];
  for (let size = 1; size <= text.length; size++) {
    out.push(split(text, size).records);
  }
  return out;
}

const tricky = [
  { id: 'a', text: 'quote " inside', path: 'C:\\dir\\', brace: '{ not a record }', nested: { list: [1, [2, { x: '}' }]] } },
  { id: 'b', text: 'unicode \u00e5\u00e4\u00f6 \ud83d\udce7 and \\" escaped', empty: '' },
  { id: 'c', endsWithBackslash: '\\\\' },
];

describe('JSON record splitter', () => {
  it('splits one JSON array, however the text is cut', () => {
    const text = JSON.stringify(tricky, null, 2);
    for (const records of everySplit(text)) {
      expect(records.map((r) => JSON.parse(r))).toEqual(tricky);
    }
  });

  it('splits NDJSON with CRLF line ends, blank lines and a BOM', () => {
    const text = `\uFEFF${tricky.map((r) => JSON.stringify(r)).join('\r\n')}\r\n\r\n`;
    for (const records of everySplit(text)) {
      expect(records.map((r) => JSON.parse(r))).toEqual(tricky);
    }
  });

  it('splits objects back to back with no delimiter (Firehose to S3) and arrays one per line', () => {
    const backToBack = tricky.map((r) => JSON.stringify(r)).join('');
    expect(split(backToBack, 7).records.map((r) => JSON.parse(r))).toEqual(tricky);
    const arrays = `${JSON.stringify(tricky.slice(0, 2))}\n${JSON.stringify(tricky.slice(2))}\n`;
    expect(split(arrays, 5).records.map((r) => JSON.parse(r))).toEqual(tricky);
  });

  it('hands a line that is not JSON out whole, for the caller to reject', () => {
    const text = '{"a":1}\nthis is not json\n{"b":2}\n';
    expect(split(text, 3).records).toEqual(['{"a":1}', 'this is not json', '{"b":2}']);
  });

  it('reports a record the text ends inside', () => {
    const { records, truncated } = split('[{"a":1},{"b":"cut he', 4);
    expect(records).toEqual(['{"a":1}']);
    expect(truncated).toBe('{"b":"cut he');
  });

  it('refuses a record longer than its limit instead of growing without end', () => {
    const s = new JsonRecordSplitter(100);
    expect(() => {
      for (let i = 0; i < 10; i++) s.push(`{"a":"${'x'.repeat(30)}`);
    }).toThrow(RecordTooLargeError);
  });
});
