/**
 * Scrolling through more rows than a browser can lay out.
 *
 * Chromium lays out no box taller than 2^25 px (33 554 432 px: the range of its fixed-point layout unit; measured in
 * Debian's Chromium, a 36 M px box reports that height and scrolls no further). At 30 px a row that is ~1.12 M rows:
 * the logs table of a delivery with more events than that could not scroll to the rest. Above `MAX_SPACE_PX` the
 * table's scrolling space is held at that height and a scroll position stands for the position that many times
 * further down the rows (the way react-virtualized's "scaling" manager does it): the scrollbar's thumb still maps
 * linearly onto the rows, from the first to the last, and a wheel step moves proportionally more rows.
 *
 * `ScaledScroll` is what the table's virtualizer (@tanstack/virtual-core) is given as its scroll element in that case:
 * it reads and writes offsets in the rows' coordinates and turns them into the real element's. The rows themselves
 * are drawn in a block pinned to the top of the view (`position: sticky`), which the table moves on every scroll
 * (components/VirtualTable.tsx, `DrawnRows.pinnedAt`).
 */

/** The tallest scrolling space the table uses; below Chromium's limit with a margin (~1.07 M rows of 30 px). */
export const MAX_SPACE_PX = 32_000_000;

/** Offsets in the rows' coordinates (`virtual`) to the element's (`real`) and back, for a space of `space` px. */
export function scrollScale(total: number, space: number, view: number): { toReal: (v: number) => number; toVirtual: (r: number) => number } {
  const realMax = space - view;
  const virtualMax = total - view;
  const ratio = realMax > 0 && virtualMax > 0 ? virtualMax / realMax : 1;
  const clamp = (x: number, max: number): number => Math.max(0, Math.min(max, x));
  return {
    toReal: (v) => clamp(v / ratio, Math.max(0, realMax)),
    toVirtual: (r) => clamp(r * ratio, Math.max(0, virtualMax)),
  };
}

/**
 * A stand-in for the scrolling element, in the rows' coordinates: the members @tanstack/virtual-core reads of a
 * scroll element (scrollTop, scrollHeight, clientHeight, scrollTo, listeners, ownerDocument) and no more.
 */
export class ScaledScroll {
  el: HTMLElement | null = null;
  /** The rows' whole height, and the element's scrolling space (px). */
  total = 0;
  space = MAX_SPACE_PX;
  /** The element's visible height, as last observed (px); read from the element while unknown. */
  view = 0;
  /** The last offset written, in both coordinates: reading it back gives exactly what was written. */
  private wroteReal = Number.NaN;
  private wroteVirtual = 0;

  /** The element and the rows' height, on each render of the table. */
  set(el: HTMLElement | null, total: number): void {
    if (el !== this.el || total !== this.total) this.wroteReal = Number.NaN;
    this.el = el;
    this.total = total;
  }

  private scale(): ReturnType<typeof scrollScale> {
    return scrollScale(this.total, this.space, this.clientHeight);
  }

  get ownerDocument(): Document | undefined {
    return this.el?.ownerDocument;
  }

  get scrollTop(): number {
    const real = this.el?.scrollTop ?? 0;
    // Within the rounding of the element's offset: where the last write put it.
    if (Math.abs(real - this.wroteReal) <= 0.5) return this.wroteVirtual;
    return this.scale().toVirtual(real);
  }

  get scrollLeft(): number {
    return this.el?.scrollLeft ?? 0;
  }

  get scrollHeight(): number {
    return this.total;
  }

  get clientHeight(): number {
    return this.view || (this.el?.clientHeight ?? 0);
  }

  get clientWidth(): number {
    return this.el?.clientWidth ?? 0;
  }

  get scrollWidth(): number {
    return this.el?.scrollWidth ?? 0;
  }

  scrollTo(options: ScrollToOptions): void {
    if (!this.el) return;
    if (options.top === undefined) {
      this.el.scrollTo(options);
      return;
    }
    const { toReal, toVirtual } = this.scale();
    const real = toReal(options.top);
    this.wroteReal = real;
    this.wroteVirtual = Math.max(0, Math.min(options.top, toVirtual(Number.MAX_VALUE)));
    this.el.scrollTo({ ...options, top: real });
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean): void {
    this.el?.addEventListener(type, listener, options);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions | boolean): void {
    this.el?.removeEventListener(type, listener, options);
  }
}
