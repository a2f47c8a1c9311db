// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { collectLinks, createOverlayUi, HOST_TAG } from '../../../../lib/overlay/overlay-ui';
import type { OverlayDraw } from '../../../../lib/overlay/protocol';
import { installI18n } from '../../helpers/fake-i18n';

const EMAIL = `<table><tr><td><a href="https://shop.example/hero">Hero</a></td></tr>
<tr><td><a href="https://shop.example/p/1"><img src="data:," width="100" height="80" alt="Product"></a></td></tr>
<tr><td><a href="mailto:a@shop.example">Write</a> <a href="https://elsewhere.example/">Elsewhere</a></td></tr></table>`;

const DRAW: OverlayDraw = {
  badges: [
    { i: 0, share: 0.6, clicks: 6, clickers: 2, heat: 5, repeated: false, label: 'Hero' },
    { i: 1, share: 0.2, clicks: 2, clickers: 2, heat: 2, repeated: false },
  ],
  legend: {
    state: 'ok',
    deliveryId: 1,
    label: 'November news',
    basis: 'clicks',
    who: 'all',
    candidates: [
      { deliveryId: 1, label: 'November news', matched: 2, total: 3 },
      { deliveryId: 2, label: 'October news', matched: 1, total: 3 },
    ],
    matched: 2,
    total: 3,
    totalClicks: 10,
    totalClickers: 6,
    unmatched: [{ href: 'https://elsewhere.example/', reason: 'no-match' }],
    missing: 1,
    framesReached: 1,
    framesUnreached: 2,
  },
};

let shadow: ShadowRoot | undefined;
beforeEach(() => {
  fakeBrowser.reset();
  installI18n('en');
  document.body.innerHTML = EMAIL;
  // The overlay's root is closed: catch it as it is made, as only this test may.
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    shadow = attach.call(this, init);
    return shadow;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('overlay UI', () => {
  it('draws badges and the legend inside a closed shadow root, leaving the page DOM free of numbers', async () => {
    const before = document.body.innerHTML;
    const ui = createOverlayUi(document, collectLinks(document), { onSelect: vi.fn(), onBasis: vi.fn(), onWho: vi.fn(), onOff: vi.fn() });
    ui.draw(DRAW);
    await ui.drawn();
    const host = document.querySelector(HOST_TAG)!;
    expect(host.shadowRoot).toBeNull(); // closed
    expect(host.attributes.length).toBe(0);
    expect(host.childNodes.length).toBe(0);
    expect(document.body.innerHTML).toBe(before);
    const badges = [...shadow!.querySelectorAll('.badge')].map((b) => b.textContent);
    expect(badges).toEqual(['60.0% · 6', '20.0% · 2']);
    const legend = shadow!.querySelector('.legend')!.textContent!;
    expect(legend).toContain('2 of 3 links matched');
    expect(legend).toContain('Total: 10 clicks, 6 clickers');
    expect(legend).toContain('1 link matched nothing');
    expect(legend).toContain('2 frames could not be reached');
    expect(legend).toContain('1 tracked link is not on this page');
    ui.destroy();
  });

  it('hands the legend controls to the callbacks and the off switch removes every trace', async () => {
    const cb = { onSelect: vi.fn(), onBasis: vi.fn(), onWho: vi.fn(), onOff: vi.fn() };
    const ui = createOverlayUi(document, collectLinks(document), cb);
    ui.draw(DRAW);
    const select = shadow!.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['November news — 2 of 3 links', 'October news — 1 of 3 links']);
    select.value = '2';
    select.dispatchEvent(new Event('change'));
    expect(cb.onSelect).toHaveBeenCalledWith(2);
    const distinct = shadow!.querySelector<HTMLInputElement>('input[value="clickers"]')!;
    distinct.checked = true;
    distinct.dispatchEvent(new Event('change'));
    expect(cb.onBasis).toHaveBeenCalledWith('clickers');
    const humans = shadow!.querySelector<HTMLInputElement>('input[name="who"][value="human"]')!;
    expect(shadow!.querySelector<HTMLInputElement>('input[name="who"][value="all"]')!.checked).toBe(true);
    humans.checked = true;
    humans.dispatchEvent(new Event('change'));
    expect(cb.onWho).toHaveBeenCalledWith('human');
    const fold = shadow!.querySelector<HTMLButtonElement>('button:not(.off)')!;
    fold.click();
    expect(fold.getAttribute('aria-expanded')).toBe('false');
    expect(shadow!.querySelector<HTMLElement>('.body')!.hidden).toBe(true);
    fold.click();
    expect(shadow!.querySelector<HTMLElement>('.body')!.hidden).toBe(false);
    shadow!.querySelector<HTMLButtonElement>('button.off')!.click();
    expect(cb.onOff).toHaveBeenCalled();
    ui.destroy();
    expect(document.querySelector(HOST_TAG)).toBeNull();
  });

  it('speaks Swedish in a Swedish browser', async () => {
    installI18n('sv');
    const ui = createOverlayUi(document, collectLinks(document), { onSelect: vi.fn(), onBasis: vi.fn(), onWho: vi.fn(), onOff: vi.fn() });
    ui.draw(DRAW);
    await ui.drawn();
    const legend = shadow!.querySelector('.legend')!.textContent!;
    expect(legend).toContain('Heta klick');
    expect(legend).toContain('2 av 3 länkar matchade');
    expect(legend).toContain('2 ramar kunde inte nås');
    expect(legend).toContain('1 länk matchade ingenting');
    expect(shadow!.querySelector('button.off')!.textContent).toBe('Stäng av');
    ui.destroy();
  });

  it('shows the no-match state with its off switch', () => {
    const ui = createOverlayUi(document, [], { onSelect: vi.fn(), onBasis: vi.fn(), onWho: vi.fn(), onOff: vi.fn() });
    ui.draw({ badges: [], legend: { ...DRAW.legend!, state: 'no-match', candidates: [], framesUnreached: 0, unmatched: [], missing: 0 } });
    expect(shadow!.querySelector('.legend')!.textContent).toContain('No delivery in Tracking Logs matches');
    expect(shadow!.querySelector('select')).toBeNull();
    ui.destroy();
  });
});
