// @vitest-environment jsdom
// jsdom rather than happy-dom: DOMPurify is built and tested against jsdom, and under happy-dom it silently returns
// its input (the sanitiser's own inertness check then refuses it: see the last test).
import { describe, expect, it } from 'vitest';
import { sanitizeEmail } from '../../../../lib/email/sanitize';

const T = 'https://t.sample.tracking-logs.invalid';

const HOSTILE = `<!DOCTYPE html><html><head>
<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/style.css">
<style>@import url("https://evil.example/import.css"); .hero{background:url(${T}/o/?id=h0,1,1)} .x{color:red}</style>
<script>parent.__pwned = 1</script>
</head><body bgcolor="#eeeeee" onload="parent.__pwned = 2">
<script>parent.__pwned = 3</script>
<img src="x" onerror="parent.__pwned = 4" alt="broken">
<a href="javascript:parent.__pwned = 5">js link</a>
<a href="${T}/r/?id=h0,1,a1" target="_top" onclick="parent.__pwned = 6">Tracked</a>
<a href="https://shop.example/direct" ping="https://evil.example/ping">Direct</a>
<form action="https://evil.example/form"><input name="q"><button formaction="https://evil.example/fa">Go</button></form>
<img srcset="${T}/o/?id=h0,1,1 1x, ${T}/o/?id=h0,1,1 2x" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="srcset">
<img src="${T}/o/?id=h0,1,1" width="1" height="1" alt="">
<img src="https://cdn.example/beacon.gif" style="width:1px;height:1px" alt="">
<img src="https://cdn.example/hero.jpg" width="600" height="300" alt="Hero">
<img src="${T}/r/?id=h0,1,a1" alt="image through a redirect">
<table background="${T}/o/?id=h0,1,1"><tr><td style="background-image:url('https://cdn.example/bg.png')">cell</td></tr></table>
<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/object"></object>
<svg><script>parent.__pwned = 7</script><image href="https://evil.example/svg.png"/></svg>
<a data-tl-link="99">fake marker</a>
<div tabindex="0" accesskey="x" contenteditable="true">a focus trap and an editable block</div>
</body></html>`;

function frameDoc(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('the email sanitiser', () => {
  const out = sanitizeEmail(HOSTILE, window, { remoteImages: false });
  const doc = frameDoc(out.html);

  it('removes scripts, event handlers, forms, meta refresh, base, link, frames, objects and SVG', () => {
    expect(doc.querySelectorAll('script, form, input, button, base, link, iframe, object, svg, image').length).toBe(0);
    // The only meta elements are ours: the charset, the frame marker and the frame's CSP.
    const metas = Array.from(doc.querySelectorAll('meta'));
    expect(metas.map((m) => m.getAttribute('http-equiv') ?? m.getAttribute('name') ?? 'charset')).toEqual(['charset', 'tl-frame', 'Content-Security-Policy']);
    for (const el of Array.from(doc.querySelectorAll('*'))) {
      for (const name of el.getAttributeNames()) expect(name.startsWith('on'), `${name} on <${el.nodeName}>`).toBe(false);
    }
    expect(out.html).not.toMatch(/pwned|javascript:|evil\.example/);
  });

  it('makes links inert: no href, no target, numbered in document order; the email’s own markers are dropped', () => {
    expect(doc.querySelectorAll('[href], [target], [ping], [formaction], [action]').length).toBe(0);
    const marked = Array.from(doc.querySelectorAll('[data-tl-link]')).map((a) => a.getAttribute('data-tl-link'));
    expect(marked).toEqual(['0', '1', '2']);
    expect(out.anchors.map((a) => [a.index, a.href, a.text])).toEqual([
      [0, 'javascript:parent.__pwned = 5', 'js link'],
      [1, `${T}/r/?id=h0,1,a1`, 'Tracked'],
      [2, 'https://shop.example/direct', 'Direct'],
    ]);
  });

  it('leaves nothing to focus, edit or reach by an access key: the preview is no Tab stop (hot clicks)', () => {
    expect(doc.querySelectorAll('[tabindex], [accesskey], [contenteditable]').length).toBe(0);
    expect(doc.body.textContent).toContain('a focus trap and an editable block');
  });

  it('never keeps the open pixel, a tracked redirect or a tracking-host image, in markup or CSS', () => {
    expect(out.html).not.toContain('tracking-logs.invalid');
    expect(out.trackingHosts).toContain('t.sample.tracking-logs.invalid');
    expect(doc.querySelectorAll('[srcset]').length).toBe(0);
    // The 1×1 beacon on an ordinary CDN goes too.
    expect(out.html).not.toContain('beacon.gif');
    expect(out.removedTracking).toBeGreaterThanOrEqual(5);
    expect(doc.querySelector('style')!.textContent).not.toMatch(/@import/);
  });

  it('holds remote images back by default, behind a strict CSP', () => {
    const hero = doc.querySelector('img[alt="Hero"]')!;
    expect(hero.hasAttribute('src')).toBe(false);
    expect(hero.hasAttribute('data-tl-src')).toBe(true);
    expect(out.html).not.toContain('cdn.example/hero.jpg');
    expect(out.blockedImages).toBe(2); // the hero and the cell background
    const csp = doc.querySelector('meta[http-equiv]')!.getAttribute('content')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data: blob:;');
    expect(csp).not.toContain('https:');
    // data: images stay; the body's colour moves to the wrapper.
    expect(doc.querySelector('img[alt="srcset"]')!.getAttribute('src')).toMatch(/^data:image\/gif/);
    expect(doc.querySelector('.tl-email-body')!.getAttribute('style')).toContain('background-color:#eeeeee');
  });

  it('shows https images when allowed, still never from a tracking host', () => {
    const allowed = sanitizeEmail(HOSTILE, window, { remoteImages: true });
    const d = frameDoc(allowed.html);
    expect(d.querySelector('img[alt="Hero"]')!.getAttribute('src')).toBe('https://cdn.example/hero.jpg');
    expect(d.querySelector('td')!.getAttribute('style')).toContain('url("https://cdn.example/bg.png")');
    expect(allowed.html).not.toContain('tracking-logs.invalid');
    expect(allowed.html).not.toContain('beacon.gif');
    expect(d.querySelector('meta[http-equiv]')!.getAttribute('content')).toContain('img-src data: blob: https:');
  });

  it('defuses CSS that would fetch through escapes or image-set()', () => {
    const html =
      '<style>.a{background:u\\72l(https://evil.example/esc.png)} .b{background-image:image-set("https://evil.example/set.png" 1x)}</style>' +
      '<div style="background:-webkit-image-set(\'https://evil.example/wk.png\' 1x)">x</div>';
    for (const remoteImages of [false, true]) {
      const res = sanitizeEmail(html, window, { remoteImages, trackingHosts: ['evil.example'] });
      // `u\72l(` loses its escape and becomes the unknown function `u72l(`, which fetches nothing.
      expect(res.html).not.toMatch(/\\|image-set|url\([^)]*evil/i);
    }
  });

  it('hands the frame a shell with the CSP and an empty body, and the email as an element to copy into it', () => {
    const shell = frameDoc(out.shell);
    expect(shell.querySelector('meta[http-equiv]')!.getAttribute('content')).toContain("default-src 'none'");
    expect(shell.body.childNodes.length).toBe(0);
    expect(out.body.className).toBe('tl-email-body');
    expect(out.html).toBe(out.shell.replace('<body></body>', `<body>${out.body.outerHTML}</body>`));
    // The element lives in the sanitiser's own inert document, not in this page's.
    expect(out.body.ownerDocument).not.toBe(document);
  });

  it('treats hosts given by the caller as tracking hosts', () => {
    const html = '<p><img src="https://img.esp.example/open.gif?u=1" width="600" alt="banner"></p>';
    const res = sanitizeEmail(html, window, { remoteImages: true, trackingHosts: ['img.esp.example'] });
    expect(res.html).not.toContain('img.esp.example');
  });
});
