import { describe, expect, it } from 'vitest';
import { MAX_DROPPED_BYTES, readDroppedFile, sniffCharset } from '../../../../lib/email/dropped-file';

function file(name: string, body: string | Uint8Array, type = ''): File {
  return new File([body as BlobPart], name, { type });
}

const EML = [
  'From: Nordhem <news@nordhem.example>',
  'To: anna@example.se',
  'Subject: =?UTF-8?Q?Nytt_hos_Nordhem?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Plain text version',
  '--b1',
  'Content-Type: text/html; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<html><body><p>M=E5nadens nyheter</p><a href=3D"https://t.example/r/?id=3Dh0,1,a1">K=F6p</a></body></html>',
  '--b1--',
  '',
].join('\r\n');

describe('a dropped email file', () => {
  it('takes the decoded text/html part of an .eml (quoted-printable, ISO-8859-1)', async () => {
    const res = await readDroppedFile(file('newsletter.eml', EML));
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.html).toContain('Månadens nyheter');
      expect(res.html).toContain('href="https://t.example/r/?id=h0,1,a1">Köp</a>');
    }
  });

  it('decodes a base64 html part', async () => {
    const html = '<html><body><a href="https://x.example/">Läs mer</a></body></html>';
    const eml = [
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(html, 'utf8').toString('base64'),
      '',
    ].join('\r\n');
    const res = await readDroppedFile(file('one-part.eml', eml));
    expect(res).toEqual({ ok: true, html });
  });

  it('says so when an .eml has no html part', async () => {
    const eml = 'Content-Type: text/plain\r\n\r\nJust text\r\n';
    expect(await readDroppedFile(file('text.eml', eml))).toEqual({ ok: false, error: 'no-html' });
  });

  it('reads an .html file in the charset it declares', async () => {
    const latin1 = Uint8Array.from([...'<meta charset="iso-8859-1"><p>K'].map((c) => c.charCodeAt(0)).concat([0xf6, 0x70]));
    expect(sniffCharset(latin1)).toBe('iso-8859-1');
    const res = await readDroppedFile(file('mail.html', latin1, 'text/html'));
    expect(res.ok && res.html.endsWith('Köp')).toBe(true);
    expect(await readDroppedFile(file('mail.htm', '<p>hej</p>'))).toEqual({ ok: true, html: '<p>hej</p>' });
  });

  it('refuses other files and files over the limit', async () => {
    expect(await readDroppedFile(file('photo.png', 'x', 'image/png'))).toEqual({ ok: false, error: 'unsupported' });
    const big = { name: 'big.html', type: 'text/html', size: MAX_DROPPED_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('not read')) };
    expect(await readDroppedFile(big)).toEqual({ ok: false, error: 'too-large' });
    expect(await readDroppedFile(file('empty.html', 'no markup here'))).toEqual({ ok: false, error: 'no-html' });
  });
});
