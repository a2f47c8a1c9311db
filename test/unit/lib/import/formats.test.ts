import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportBatch, ImportState } from '../../../../lib/import/batch';
import { CsvChunker, csvTime, guessColumns, mapCsvRow, parseCsvRows, previewCsv, type CsvMapping } from '../../../../lib/import/csv';
import { detectFormat } from '../../../../lib/import/detect';
import { mapFeedRecord } from '../../../../lib/import/feed-file';
import { JsonRecordSplitter } from '../../../../lib/import/json-splitter';
import { mapMailjet, parseKeepingBigInts } from '../../../../lib/import/mailjet';
import { mapSendGrid } from '../../../../lib/import/sendgrid';
import { mapSes } from '../../../../lib/import/ses';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/import');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

type Mapper = (rec: unknown, raw: string, batch: ImportBatch, state: ImportState) => void;

/** Splits and maps a file's text as the import does, in one batch. */
function mapAll(text: string, map: Mapper, parse: (t: string) => unknown = JSON.parse): { batch: ImportBatch; state: ImportState } {
  const batch = new ImportBatch();
  const state = new ImportState({ extId: 'file:test.json', label: 'test.json' });
  const splitter = new JsonRecordSplitter();
  for (const raw of [...splitter.push(text), ...splitter.end().records]) {
    batch.seen++;
    let rec: unknown;
    try {
      rec = parse(raw);
    } catch {
      batch.reject('not valid JSON', raw);
      continue;
    }
    map(rec, raw, batch, state);
  }
  return { batch, state };
}

describe('SendGrid Event Webhook', () => {
  it('maps the documented open and click (sg_event_id as id, category as delivery)', () => {
    const { batch, state } = mapAll(fixture('sendgrid-open-click.json'), mapSendGrid);
    expect(batch.events).toEqual([
      {
        id: 'FOTFFO0ecsBE-zxFXfs6WA==',
        deliveryExtId: 'category:cat facts',
        recipient: 'example@test.com',
        type: 2,
        time: 1513299569000,
        url: undefined,
        userAgent: 'Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)',
        ip: '255.255.255.255',
        machine: undefined,
      },
      expect.objectContaining({ id: 'kCAi1KttyQdEKHhdC-nuEA==', type: 1, url: 'http://www.sendgrid.com/' }),
    ]);
    expect(batch.deliveries).toEqual([{ extId: 'category:cat facts', label: 'cat facts', trackingEnabled: true }]);
    expect([...state.touched]).toEqual(['category:cat facts']);
    expect(batch.rejectedCount).toBe(0);
  });

  it('keeps unsubscribes as opt-outs and counts delivered and bounce as skipped', () => {
    const { batch } = mapAll(fixture('sendgrid-delivered-bounce-unsubscribe.json'), mapSendGrid);
    expect(batch.events.map((e) => [e.id, e.type])).toEqual([['zz_BjPgU_5pS-J8vlfB1sg==', 3]]);
    expect(Object.fromEntries(batch.skipped)).toEqual({ delivered: 1, bounce: 1 });
  });

  it('turns url_offset into the link occurrence, in the file delivery when there is no category', () => {
    const { batch } = mapAll(fixture('sendgrid-click-url-offset.json'), mapSendGrid);
    expect(batch.events).toEqual([
      expect.objectContaining({
        id: 'OTdlOGUzYjctYjc5Zi00OWE4LWE4YWUtNjIxNjk2ZTJlNGVi',
        deliveryExtId: 'file:test.json',
        urlExtId: 'html:0:http://www.example.com',
        url: 'http://www.example.com',
        time: 1461095250000,
      }),
    ]);
    expect(batch.urls).toEqual([
      { deliveryExtId: 'file:test.json', extId: 'html:0:http://www.example.com', type: 1, url: 'http://www.example.com', occurrence: 0 },
    ]);
    expect(batch.deliveries).toEqual([{ extId: 'file:test.json', label: 'test.json', trackingEnabled: true }]);
  });

  it('flags machine opens (sg_machine_open) and rejects records it cannot use, with the reason', () => {
    const open = JSON.parse(fixture('sendgrid-open-click.json'))[0];
    const text = [
      { ...open, sg_machine_open: true },
      { ...open, sg_event_id: 'x2', email: undefined },
      { ...open, sg_event_id: 'x3', timestamp: 'yesterday' },
      { ...open, sg_event_id: 'x4', event: 'teleport' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { batch } = mapAll(`${text}\nnot json at all\n`, mapSendGrid);
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]!.machine).toBe(true);
    expect(batch.rejected.map((r) => r.reason)).toEqual([
      'email: required',
      'timestamp: not a date (UNIX seconds, 2000-2099)',
      'event: not a SendGrid event type (teleport)',
      'not valid JSON',
    ]);
  });
});

describe('Amazon SES event publishing', () => {
  const open = fixture('ses-open.json');
  const click = fixture('ses-click.json');

  it('maps the documented open and click, recipient from the single mail.destination', () => {
    const { batch } = mapAll(`${open}${click}`, mapSes); // back to back, as Firehose writes them
    const delivery = 'ses:ConfigSet:Message sent from Amazon SES';
    expect(batch.events).toEqual([
      {
        id: 'ses:EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000:Open:1502316019652:',
        deliveryExtId: delivery,
        recipient: 'recipient@example.com',
        type: 2,
        time: Date.parse('2017-08-09T22:00:19.652Z'),
        url: undefined,
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8 (KHTML, like Gecko) Mobile/14G60',
        ip: '192.0.2.1',
      },
      expect.objectContaining({
        type: 1,
        url: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
        time: Date.parse('2017-08-09T23:51:25.570Z'),
      }),
    ]);
    expect(batch.deliveries).toEqual([{ extId: delivery, label: 'Message sent from Amazon SES', trackingEnabled: true }]);
  });

  it('rejects an open of a message with several recipients, saying why', () => {
    const rec = JSON.parse(open);
    rec.mail.destination = ['a@example.com', 'b@example.com'];
    const { batch } = mapAll(JSON.stringify(rec), mapSes);
    expect(batch.events).toHaveLength(0);
    expect(batch.rejected[0]!.reason).toBe('no recipient: Open records name none and the message went to 2 recipients');
  });

  it('skips delivery records and reads records inside SNS notifications', () => {
    const wrapped = { ...JSON.parse(fixture('ses-sns-envelope.json')), Message: `${open}\n` };
    const { batch } = mapAll(`${fixture('ses-delivery.json')}\n${JSON.stringify(wrapped)}`, mapSes);
    expect(Object.fromEntries(batch.skipped)).toEqual({ Delivery: 1 });
    expect(batch.events).toHaveLength(1);
    // The documented envelope elides its record ("…"): rejected with the reason, not imported.
    const { batch: elided } = mapAll(fixture('ses-sns-envelope.json'), mapSes);
    expect(elided.rejected[0]!.reason).toBe('Message: not valid JSON');
  });
});

describe('Mailjet events', () => {
  it('keeps 64-bit MessageIDs exact and maps open, click and unsub', () => {
    const text = ['mailjet-open.json', 'mailjet-click.json', 'mailjet-unsub.json'].map(fixture).join('\n');
    const { batch } = mapAll(text, mapMailjet, parseKeepingBigInts);
    expect(batch.events.map((e) => [e.id, e.type, e.deliveryExtId])).toEqual([
      ['mj:19421777396190490:open:1433103519:', 2, 'campaign:7173'],
      ['mj:19421777836302490:click:1433334653:https://mailjet.com', 1, 'campaign:7272'],
      ['mj:12345678901234567:unsub:1498093527:', 3, 'campaign:1234567890'],
    ]);
    expect(batch.events[0]).toMatchObject({
      recipient: 'api@mailjet.com',
      time: 1433103519000,
      userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0',
      ip: '127.0.0.1',
    });
    // JSON.parse alone would have rounded it.
    expect(String((JSON.parse(fixture('mailjet-unsub.json')) as { MessageID: number }).MessageID)).toBe('12345678901234568');
  });

  it('counts sent and bounce as skipped', () => {
    const text = `${fixture('mailjet-sent.json')}\n${fixture('mailjet-bounce.json')}`;
    const { batch } = mapAll(text, mapMailjet, parseKeepingBigInts);
    expect(batch.events).toHaveLength(0);
    expect(Object.fromEntries(batch.skipped)).toEqual({ sent: 1, bounce: 1 });
  });
});

describe('our own feed format in a file', () => {
  it('validates records as the HTTP feed does', () => {
    const text = [
      { kind: 'delivery', id: 'D1', label: 'November', tracking: true },
      { kind: 'event', id: 'e1', delivery: 'D1', recipient: 'a@example.com', type: 'open', time: '2026-11-20T09:00:00Z' },
      { kind: 'event', id: 'e2', delivery: 'D1', recipient: 'a@example.com', type: 'open', time: 'soon' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const { batch, state } = mapAll(text, mapFeedRecord);
    expect(batch.deliveries).toHaveLength(1);
    expect(batch.events.map((e) => e.id)).toEqual(['e1']);
    expect(batch.rejected[0]!.reason).toMatch(/^time: /);
    expect([...state.touched]).toEqual(['D1']);
  });
});

describe('format detection', () => {
  it('tells the formats apart from the first bytes', () => {
    expect(detectFormat(fixture('sendgrid-open-click.json'))).toEqual({ format: 'sendgrid' });
    expect(detectFormat(fixture('ses-click.json'))).toEqual({ format: 'ses' });
    expect(detectFormat(fixture('mailjet-sent.json'))).toEqual({ format: 'mailjet' });
    expect(detectFormat('{"kind":"event","id":"1"}\n')).toEqual({ format: 'feed' });
    expect(detectFormat('time,email,event\n2026-11-20T09:00:00Z,a@example.com,open\n')).toEqual({ format: 'csv' });
  });

  it('names what is wrong with a file it cannot read', () => {
    expect(detectFormat('  \n')).toEqual({ format: undefined, problem: 'empty' });
    expect(detectFormat('<!doctype html><p>Sign in')).toEqual({ format: undefined, problem: 'html' });
    expect(detectFormat('PK\u0003\u0004\u0000\u0000')).toEqual({ format: undefined, problem: 'binary' });
    expect(detectFormat('[{"hello":"world"}]')).toEqual({ format: undefined, problem: 'unknown-json' });
    expect(detectFormat('just some words')).toEqual({ format: undefined, problem: 'not-json' });
  });
});

describe('CSV', () => {
  it('cuts pieces only at row ends, never inside a quoted cell', () => {
    const text = 'a,b\r\n"line\nbreak","say ""hi"""\r\n3,4\r\n5,"6\n';
    for (let size = 1; size <= text.length; size++) {
      const chunker = new CsvChunker();
      let rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows = rows.concat(parseCsvRows(chunker.push(text.slice(i, i + size)), ','));
      rows = rows.concat(parseCsvRows(chunker.end(), ','));
      expect(rows).toEqual([
        ['a', 'b'],
        ['line\nbreak', 'say "hi"'],
        ['3', '4'],
        ['5', '6\n'],
      ]);
    }
  });

  it('previews the header and first rows, guesses the delimiter and the columns', () => {
    const preview = previewCsv('\uFEFFTimestamp;Email;Event;URL\n1700000000;a@example.com;opened;\n1700000100;a@example.com;clicked;https://x.example/\n');
    expect(preview).toEqual({
      delimiter: ';',
      header: ['Timestamp', 'Email', 'Event', 'URL'],
      rows: [
        ['1700000000', 'a@example.com', 'opened', ''],
        ['1700000100', 'a@example.com', 'clicked', 'https://x.example/'],
      ],
    });
    expect(guessColumns(preview!.header)).toEqual({ time: 0, recipient: 1, type: 2, url: 3 });
  });

  it('reads epoch seconds, epoch ms and date-times (UTC when no zone is given)', () => {
    expect(csvTime('1700000000')).toBe(1_700_000_000_000);
    expect(csvTime('1700000000123')).toBe(1_700_000_000_123);
    expect(csvTime('2026-11-20 09:00:00')).toBe(Date.UTC(2026, 10, 20, 9));
    expect(csvTime('2026-11-20T10:00:00+01:00')).toBe(Date.UTC(2026, 10, 20, 9));
    expect(csvTime('tomorrow')).toBeNaN();
  });

  it('maps rows with the chosen columns and type values, deriving ids when there is no id column', () => {
    const mapping: CsvMapping = {
      delimiter: ',',
      columns: { time: 0, recipient: 1, type: 2, url: 3 },
      typeValues: { bounced: 'ignore', hit: 1 },
      fixedType: 2,
    };
    const batch = new ImportBatch();
    const state = new ImportState({ extId: 'file:x.csv', label: 'x.csv' });
    const rows = parseCsvRows('1700000000,a@example.com,opened,\n1700000100,a@example.com,hit,https://x.example/\n1700000200,a@example.com,bounced,\n1700000300,a@example.com,teleported,\n1700000300,,opened,\n1,2\n', ',');
    for (const cells of rows) mapCsvRow(cells, 4, mapping, batch, state);
    expect(batch.events).toEqual([
      expect.objectContaining({ id: 'file:x.csv:a@example.com:2:1700000000000:', type: 2, deliveryExtId: 'file:x.csv' }),
      expect.objectContaining({ type: 1, url: 'https://x.example/' }),
    ]);
    expect(Object.fromEntries(batch.skipped)).toEqual({ bounced: 1 });
    expect(batch.rejected.map((r) => r.reason)).toEqual([
      'type: no event type chosen for "teleported"',
      'recipient: empty',
      'wrong number of cells (2, the header has 4)',
    ]);
  });
});
