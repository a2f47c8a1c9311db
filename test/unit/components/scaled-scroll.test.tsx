// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MAX_SPACE_PX, ScaledScroll, scrollScale } from '../../../components/scaled-scroll';
import { ROW_HEIGHT, VirtualTable } from '../../../components/VirtualTable';
import { installI18n } from '../helpers/fake-i18n';
import { expectLinesMatchRows, framesByHand, rowText } from '../helpers/vtable';

/** A scrolling element as far as ScaledScroll uses one: its offset rounded to whole px, as a browser may. */
function fakeElement(view: number, space: number): HTMLElement & { writes: number[] } {
  let top = 0;
  const writes: number[] = [];
  const el = {
    writes,
    clientHeight: view,
    clientWidth: 800,
    scrollWidth: 800,
    scrollLeft: 0,
    ownerDocument: document,
    get scrollTop() {
      return top;
    },
    set scrollTop(v: number) {
      top = Math.max(0, Math.min(space - view, Math.round(v)));
    },
    scrollTo(o: ScrollToOptions) {
      writes.push(o.top!);
      el.scrollTop = o.top!;
    },
  };
  return el as unknown as HTMLElement & { writes: number[] };
}

describe('scrollScale', () => {
  it('maps the whole scrolling space onto the whole of the rows, linearly, and back', () => {
    const total = 2_000_000 * ROW_HEIGHT;
    const view = 600;
    const { toReal, toVirtual } = scrollScale(total, MAX_SPACE_PX, view);
    expect(toVirtual(0)).toBe(0);
    expect(toVirtual(MAX_SPACE_PX - view)).toBeCloseTo(total - view, 6);
    expect(toReal(total - view)).toBeCloseTo(MAX_SPACE_PX - view, 6);
    // Half way is half way.
    expect(toVirtual((MAX_SPACE_PX - view) / 2)).toBeCloseTo((total - view) / 2, 6);
    for (const r of [1, 12_345, 9_999_999.5, 31_999_000]) expect(toReal(toVirtual(r))).toBeCloseTo(r, 6);
    // Beyond either end: clamped.
    expect(toVirtual(-5)).toBe(0);
    expect(toVirtual(MAX_SPACE_PX * 2)).toBeCloseTo(total - view, 6);
    expect(toReal(total * 2)).toBeCloseTo(MAX_SPACE_PX - view, 6);
  });

  it('is the identity when the rows fit', () => {
    const { toReal, toVirtual } = scrollScale(1_000, 1_000, 600);
    expect(toVirtual(123)).toBe(123);
    expect(toReal(400)).toBe(400);
  });
});

describe('ScaledScroll', () => {
  it('reads back exactly the offset written though the element rounds it, and maps offsets the user scrolled to', () => {
    const el = fakeElement(600, MAX_SPACE_PX);
    const s = new ScaledScroll();
    s.set(el, 5_000_000 * ROW_HEIGHT);
    s.view = 600;
    expect(s.scrollHeight).toBe(5_000_000 * ROW_HEIGHT);
    expect(s.clientHeight).toBe(600);
    // Row 3 000 000 at the top: written in the element's coordinates (~4.7× smaller), read back as written.
    s.scrollTo({ top: 3_000_000 * ROW_HEIGHT });
    expect(el.writes.at(-1)).toBeCloseTo(scrollScale(s.total, MAX_SPACE_PX, 600).toReal(3_000_000 * ROW_HEIGHT), 6);
    expect(el.scrollTop).toBe(Math.round(el.writes.at(-1)!));
    expect(s.scrollTop).toBe(3_000_000 * ROW_HEIGHT);
    // The user scrolls 100 px: the rows move ~4.7 times that.
    el.scrollTop += 100;
    expect(s.scrollTop).toBeCloseTo(scrollScale(s.total, MAX_SPACE_PX, 600).toVirtual(el.scrollTop), 6);
    expect(s.scrollTop - 3_000_000 * ROW_HEIGHT).toBeGreaterThan(400);
    // Past the end: the last offset there is.
    s.scrollTo({ top: Number.MAX_SAFE_INTEGER });
    expect(s.scrollTop).toBe(5_000_000 * ROW_HEIGHT - 600);
    // New rows (a filter): the last write is forgotten, the element's offset mapped anew.
    s.scrollTo({ top: 1_000 * ROW_HEIGHT });
    s.set(el, 2_000_000 * ROW_HEIGHT);
    expect(s.scrollTop).toBeCloseTo(scrollScale(s.total, MAX_SPACE_PX, 600).toVirtual(el.scrollTop), 6);
  });
});

describe('VirtualTable with more rows than a browser lays out', () => {
  let root: HTMLElement;
  beforeEach(() => {
    fakeBrowser.reset();
    installI18n('en');
    root = document.createElement('div');
    document.body.append(root);
    // happy-dom does no layout: give the scrolling body the size a browser would (600 px = 20 rows).
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  });
  afterEach(() => {
    render(null, root);
    root.remove();
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
    delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  });

  it('holds the scrolling space below the limit, pins the rows, and draws the last rows at the end of it', async () => {
    const count = 3_000_000;
    const columns = [{ key: 'n', label: 'Number', width: '1fr' }] as const;
    const { frame, restore } = framesByHand();
    try {
      await act(() => {
        render(<VirtualTable label="Logs" columns={columns} count={count} text={(row) => `row ${row}`} />, root);
      });
      const body = root.querySelector<HTMLElement>('.vtable__body')!;
      expect(body.classList.contains('vtable__body--scaled')).toBe(true);
      expect(root.querySelector<HTMLElement>('.vtable__space')!.style.height).toBe(`${MAX_SPACE_PX}px`);
      const block = root.querySelector<HTMLElement>('.vtable__pin > .vtable__rows')!;
      expect(block).not.toBeNull();
      expect(rowText(block.querySelector('[role="row"]')!)).toBe('row 0');
      // The end of the scrolling space: the last rows, the block pinned so the last row ends at the view's bottom.
      await act(async () => {
        body.scrollTop = MAX_SPACE_PX - 600;
        body.dispatchEvent(new Event('scroll'));
        await new Promise((r) => setTimeout(r, 0));
      });
      await frame();
      await frame();
      const rows = [...block.querySelectorAll('[role="row"]')].filter((r) => !(r as HTMLElement).hidden);
      const shown = rows.map((r) => Number(r.getAttribute('aria-rowindex')) - 2);
      expect(shown.at(-1)).toBe(count - 1);
      expect(rows.map(rowText)).toEqual(shown.map((i) => `row ${i}`));
      expectLinesMatchRows(root);
      // Where the last row is drawn in the view: the block's offset plus its place among the rows shown.
      const lastTop = (): number => {
        const shownNow = [...block.querySelectorAll('[role="row"]')].filter((r) => !(r as HTMLElement).hidden);
        const k = shownNow.findIndex((r) => r.getAttribute('aria-rowindex') === String(count + 1));
        return Number(/translateY\((-?[\d.]+)px\)/.exec(block.style.transform)![1]) + k * ROW_HEIGHT;
      };
      const before = lastTop();
      expect(before + ROW_HEIGHT).toBeCloseTo(600, 0);
      // A scroll of 2 px up moves the pinned rows down by 2 px times the scale (~2.8 here).
      await act(async () => {
        body.scrollTop = MAX_SPACE_PX - 600 - 2;
        body.dispatchEvent(new Event('scroll'));
        await new Promise((r) => setTimeout(r, 0));
      });
      await frame();
      await frame();
      const ratio = (count * ROW_HEIGHT - 600) / (MAX_SPACE_PX - 600);
      // To a whole px (the canvas's text stays sharp).
      expect(Number.isInteger(lastTop())).toBe(true);
      expect(Math.abs(lastTop() - before - 2 * ratio)).toBeLessThanOrEqual(0.5);
      // Back within what a browser lays out (a filter): the plain space, no pin.
      await act(() => {
        render(<VirtualTable label="Logs" columns={columns} count={1_000} text={(row) => `row ${row}`} />, root);
      });
      expect(body.classList.contains('vtable__body--scaled')).toBe(false);
      expect(root.querySelector('.vtable__pin')).toBeNull();
      expect(root.querySelector<HTMLElement>('.vtable__space')!.style.height).toBe(`${1_000 * ROW_HEIGHT}px`);
    } finally {
      restore();
    }
  });
});
