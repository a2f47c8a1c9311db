// @vitest-environment jsdom
// jsdom, as sanitize.test.ts: DOMPurify walks nothing under happy-dom.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../../../lib/db/instance';
import type { SafeEmailRow } from '../../../../lib/db/schema';
import { emailForView, keepSafeEmail, readSafeEmail } from '../../../../lib/email/safe-email';
import { sanitizeEmail, sanitizerFingerprint } from '../../../../lib/email/sanitize';

const T = 'https://t.sample.tracking-logs.invalid';
const HTML =
  `<html><head><style>.a{color:red}</style></head><body bgcolor="#eee">` +
  `<a href="${T}/r/?id=h0,1,a1">Shop</a> <a href="javascript:parent.__pwned=1">js</a>` +
  `<img src="https://cdn.example/hero.jpg" width="600" height="300" alt="Hero">` +
  `<img src="${T}/o/?id=h0,1,1" width="1" height="1" alt=""><script>parent.__pwned=2</script></body></html>`;

const firstView = (html = HTML): { row: SafeEmailRow; markup: string } => {
  const first = emailForView(7, html, undefined, window, false);
  expect(first.kept).toBe(false);
  return { row: first.keep!, markup: first.sanitized.body.outerHTML };
};

describe('the email as the hot clicks view keeps it', () => {
  it('sanitises at the first view and keeps the result with its facts and its source', () => {
    const fresh = sanitizeEmail(HTML, window, { remoteImages: false });
    const { row, markup } = firstView();
    expect(markup).toBe(fresh.body.outerHTML);
    expect(row).toMatchObject({
      deliveryId: 7,
      html: HTML,
      markup,
      sanitizer: sanitizerFingerprint(),
      anchors: fresh.anchors,
      blockedImages: 1,
      removedTracking: 1,
      trackingHosts: fresh.trackingHosts,
    });
  });

  it('shows the kept copy at the next view: the same element, the same facts, the same frame shell', () => {
    const { row, markup } = firstView();
    const next = emailForView(7, HTML, row, window, false);
    expect(next.kept).toBe(true);
    expect(next.keep).toBeUndefined();
    expect(next.sanitized.body.outerHTML).toBe(markup);
    expect(next.sanitized.anchors).toEqual(row.anchors);
    expect(next.sanitized.blockedImages).toBe(1);
    expect(next.sanitized.removedTracking).toBe(1);
    expect(next.sanitized.shell).toBe(sanitizeEmail(HTML, window, { remoteImages: false }).shell);
    // Parsed into an inert document, not this one.
    expect(next.sanitized.body.ownerDocument).not.toBe(document);
  });

  it('sanitises again for other HTML, for another sanitiser, and with remote images allowed', () => {
    const { row } = firstView();
    const changed = `${HTML}<p>PS</p>`;
    const other = emailForView(7, changed, row, window, false);
    expect(other.kept).toBe(false);
    expect(other.sanitized.body.textContent).toContain('PS');
    expect(other.keep?.html).toBe(changed);

    expect(emailForView(7, HTML, { ...row, sanitizer: 'an older sanitiser' }, window, false).kept).toBe(false);

    const remote = emailForView(7, HTML, row, window, true);
    expect(remote.kept).toBe(false);
    expect(remote.keep).toBeUndefined(); // only the default policy is kept
    expect(remote.sanitized.body.querySelector('img[alt="Hero"]')?.getAttribute('src')).toBe('https://cdn.example/hero.jpg');
  });

  it('trusts a kept copy no more than the sanitiser would: anything active, and it is sanitised again', () => {
    const { row } = firstView();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tampered = [
      '<div class="tl-email-body"><img src="x" onerror="parent.__pwned=3"></div>',
      '<div class="tl-email-body"><script>parent.__pwned=4</script></div>',
      '<div class="tl-email-body"><a href="javascript:parent.__pwned=5">x</a></div>',
      '<div class="tl-email-body"><img src="https://cdn.example/x.png"></div>', // a remote image, under the default policy
      '<div class="tl-email-body"></div><div>a second element</div>',
      '<p>not the wrapper</p>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example/"><div class="tl-email-body"></div>',
    ];
    for (const markup of tampered) {
      const view = emailForView(7, HTML, { ...row, markup }, window, false);
      expect(view.kept, markup).toBe(false);
      expect(view.sanitized.body.outerHTML).toBe(row.markup);
    }
    expect(warn).toHaveBeenCalledTimes(tampered.length);
    warn.mockRestore();
    expect((window as unknown as { __pwned?: unknown }).__pwned).toBeUndefined();
  });
});

describe('keeping it in the store', () => {
  beforeEach(async () => {
    await db.safeEmails.clear();
  });

  it('reads back what was kept, and nothing for a delivery without', async () => {
    const { row } = firstView();
    expect(await readSafeEmail(db, 7)).toBeUndefined();
    await keepSafeEmail(db, row);
    const back = await readSafeEmail(db, 7);
    expect(back).toEqual(row);
    expect(emailForView(7, HTML, back, window, false).kept).toBe(true);
  });
});
