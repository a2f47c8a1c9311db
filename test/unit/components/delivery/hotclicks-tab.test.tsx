// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DropZone, HotClicksView } from '../../../../entrypoints/options/routes/delivery/hotclicks';
import { db } from '../../../../lib/db/instance';
import type { UrlRow } from '../../../../lib/db/schema';
import { MAX_DROPPED_BYTES } from '../../../../lib/email/dropped-file';
import { hotClicks } from '../../../../lib/hotclicks/shares';
import { installI18n } from '../../helpers/fake-i18n';

let root: HTMLElement;
beforeEach(async () => {
  installI18n('en');
  root = document.createElement('div');
  document.body.append(root);
  await db.contents.clear();
  await db.deliveries.clear();
  await db.deliveries.add({ id: 5, sourceId: 's', extId: 'D5', label: 'Text only', trackingEnabled: true, hasHtml: false });
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await act(() => new Promise((r) => setTimeout(r, 10)));
  }
}

function chooseFile(file: File | { name: string; type: string; size: number; arrayBuffer: () => Promise<ArrayBuffer> }): void {
  const input = root.querySelector('input[type="file"]') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  act(() => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('dropping the HTML of a delivery that has none', () => {
  it('refuses a file over the limit with a clear message', async () => {
    act(() => render(<DropZone deliveryId={5} />, root));
    chooseFile({ name: 'huge.html', type: 'text/html', size: MAX_DROPPED_BYTES + 1, arrayBuffer: () => Promise.reject(new Error('unread')) });
    await until(() => root.querySelector('[role="alert"]') !== null);
    expect(root.querySelector('[role="alert"]')!.textContent).toContain('too large');
    expect(await db.contents.count()).toBe(0);
  });

  it('asks before storing, then keeps it as dropped HTML', async () => {
    act(() => render(<DropZone deliveryId={5} />, root));
    chooseFile(new File(['<p>Hej <a href="https://x.example/">länk</a></p>'], 'mail.html', { type: 'text/html' }));
    await until(() => (root.querySelector('dialog')?.textContent ?? '').includes('mail.html'));
    expect(await db.contents.count()).toBe(0);
    const use = Array.from(root.querySelectorAll('dialog button')).find((b) => b.textContent === 'Use the file')!;
    act(() => (use as HTMLButtonElement).click());
    for (let i = 0; i < 100 && !(await db.contents.get(5)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await db.contents.get(5)).toMatchObject({ dropped: true, html: '<p>Hej <a href="https://x.example/">länk</a></p>' });
    expect((await db.deliveries.get(5))?.hasHtml).toBe(true);
  });
});

describe('the hot clicks view', () => {
  const urls: (UrlRow & { id: number })[] = [
    { id: 1, deliveryId: 5, extId: 'a1', type: 1, url: 'https://x.example/a', label: '<i>A</i>', occurrence: 0 },
    { id: 2, deliveryId: 5, extId: 'a2', type: 3, url: 'https://x.example/unsub', label: 'Unsubscribe', occurrence: 1 },
  ];
  const stats = new Map([
    [1, { clicks: 30, clickers: 20 }],
    [2, { clicks: 10, clickers: 10 }],
  ]);

  it('gives the totals and says opt-out clicks count but are not drawn; never frames unsanitised HTML', () => {
    const html = '<a href="https://t.example/r/?id=h0,1,a1">A</a><img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    act(() =>
      render(
        <HotClicksView
          deliveryId={5}
          content={{ deliveryId: 5, html }}
          urls={urls}
          hot={hotClicks(urls, stats)}
          basis="clicks"
          width="desktop"
          merge="link"
          setMerge={() => undefined}
          setBasis={() => undefined}
          setWidth={() => undefined}
          who="all"
          setWho={() => undefined}
        />,
        root,
      ),
    );
    expect(root.querySelector('[data-total="clicks"]')!.textContent).toBe('40');
    expect(root.textContent).toContain('Opt-out links (10 clicks)');
    // happy-dom cannot run the sanitiser (DOMPurify walks nothing there): the view must then refuse, not show raw HTML.
    const frame = root.querySelector('iframe');
    if (frame) {
      expect(frame.getAttribute('sandbox')).toBe('allow-same-origin');
      expect(frame.srcdoc).not.toMatch(/<script|onerror/i);
    } else {
      expect(root.querySelector('[role="alert"]')!.textContent).toContain('could not be made safe');
    }
    expect((window as unknown as { __pwned?: unknown }).__pwned).toBeUndefined();
  });
});
