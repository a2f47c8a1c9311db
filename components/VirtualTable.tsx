import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { Component, createRef, type JSX, type RefObject } from 'preact';
import { useId, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import { MAX_SPACE_PX, ScaledScroll } from './scaled-scroll';
import './virtual-table.css';

export interface VirtualColumn<K extends string> {
  key: K;
  label: string;
  /** A CSS grid track, e.g. `minmax(9rem, 1fr)`. */
  width: string;
  sortable?: boolean;
  /**
   * How a body cell shows its text: plain (default), as a tag, or as a link to `href(row, key)` in the view. Plain and
   * link text is drawn in the column's lines on the table's canvas (see `ColumnLines`), not in the cell, which (or
   * whose link) is named by it (`aria-label`).
   */
  kind?: 'text' | 'tag' | 'link';
}

export interface VirtualTableProps<K extends string> {
  /** Accessible name of the table. */
  label: string;
  columns: readonly VirtualColumn<K>[];
  count: number;
  /** Text of the cell of row `row` (0-based) in column `key`: always set as text, never parsed as HTML. */
  text: (row: number, key: K) => string;
  /**
   * The target of a `link` column's cell: an in-view hash route (`#/…`). Anything else (a `javascript:` URL, an
   * outside address) is not made a link: the cell shows its text only.
   */
  href?: (row: number, key: K) => string | undefined;
  /**
   * The title of a cell (its full text where the cell may cut it, or what it stands for): set on the cell under the
   * pointer and on the cells of the active row only (see `VirtualRow.paintTitles`).
   */
  title?: (row: number, key: K) => string | undefined;
  sort?: { key: K; dir: 'asc' | 'desc' } | undefined;
  onSort?: (key: K) => void;
  /** Height of the scrolling body, CSS (default: most of the window). */
  height?: string;
}

/** Fixed row height (px): the table never measures rows, so any position of a million rows renders in O(rows shown). */
export const ROW_HEIGHT = 30;

/** The virtualizer's size observer, on the real element behind a scaled stand-in (which records the height too). */
function observeScaledRect(
  scaled: ScaledScroll,
  instance: Virtualizer<HTMLDivElement, HTMLDivElement>,
  cb: (rect: { width: number; height: number }) => void,
): (() => void) | undefined {
  const el = scaled.el;
  if (!el) return undefined;
  const onElement = Object.create(instance, { scrollElement: { value: el } }) as Virtualizer<HTMLDivElement, HTMLDivElement>;
  return observeElementRect(onElement, (rect) => {
    scaled.view = rect.height;
    cb(rect);
  });
}

/**
 * A large table that renders only the rows in view: @tanstack/virtual-core (MIT; framework-free, so bound to Preact
 * here in a few lines the way its React adapter does it) over a fixed row height. The header stays above the body.
 * ARIA table roles with aria-rowcount and aria-rowindex tell assistive technology the real size.
 *
 * Keyboard: the body is one Tab stop (the links in its rows are not: the row elements are reused by position while
 * scrolling, so tabbing through them skipped rows and fell out of the table). In it a row cursor moves with the arrows,
 * Page Up/Down and Home/End, Enter follows the active row's first link, and Ctrl+C with nothing selected copies the
 * active row; see `VirtualBody`.
 *
 * Text: a tag column's text is in its cells; plain and link columns' text is drawn on one canvas over the rows, a line
 * per row (`ColumnLines`), over cells that are empty and named by it, for assistive technology and tests alike.
 *
 * Size: browsers lay out no box taller than ~33.5 M px (~1.1 M rows of 30 px); above ~1.07 M rows the scrolling space
 * is held below that and scaled (components/scaled-scroll.ts), so every row can still be reached.
 */
export function VirtualTable<K extends string>(props: VirtualTableProps<K>): JSX.Element {
  const { label, columns, count, sort, onSort } = props;
  const template = columns.map((c) => c.width).join(' ');
  const tableRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  useColumnWidths(tableRef, headRef, template);
  return (
    <div class="vtable" role="table" aria-label={label} aria-rowcount={count + 1} style={{ '--vtable-cols': template }} ref={tableRef}>
      <div class="vtable__head" role="rowgroup">
        <div class="vtable__row" role="row" aria-rowindex={1} ref={headRef}>
          {columns.map((c) => {
            const active = sort?.key === c.key;
            return (
              <div
                key={c.key}
                class="vtable__cell vtable__cell--head"
                role="columnheader"
                aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable && onSort ? (
                  <button type="button" class="sort-button" onClick={() => onSort(c.key)} title={t('sort_by', c.label)}>
                    {c.label}
                    <span aria-hidden="true" class="sort-button__arrow">
                      {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </div>
            );
          })}
        </div>
      </div>
      <VirtualBody label={label} columns={columns} count={count} text={props.text} href={props.href} title={props.title} height={props.height} />
    </div>
  );
}

/**
 * The body's column widths, in pixels, from the header: the header row is a CSS grid over the columns' tracks
 * (`minmax(…, fr)`), and each body cell takes its header cell's width as a fixed flex basis (`--vtable-w0`, …). A body
 * row is then a flex row of fixed-width cells, which the browser lays out with much less work than a grid row: on a
 * jump through a million rows, ~30 rows are laid out anew every frame, and grid rows made ~35 % more layout objects
 * for the page's garbage collector. Measured before the first paint and again when the header's size changes. In a
 * window narrower than the columns' least widths the header keeps them and the whole table scrolls sideways.
 */
function useColumnWidths(tableRef: RefObject<HTMLDivElement>, headRef: RefObject<HTMLDivElement>, template: string): void {
  useLayoutEffect(() => {
    const table = tableRef.current;
    const head = headRef.current;
    if (!table || !head) return;
    const measure = (): void => {
      const widths = [...head.children].map((c) => c.getBoundingClientRect().width);
      // No layout (a test DOM): leave the variables unset; cells fall back to sizing by their content.
      if (!widths.some((w) => w > 0)) return;
      widths.forEach((w, i) => table.style.setProperty(`--vtable-w${i}`, `${w}px`));
      // The header is never narrower than its columns' least widths; the body takes its width.
      const inner = head.parentElement?.getBoundingClientRect().width ?? 0;
      if (inner > 0) table.style.setProperty('--vtable-inner', `${inner}px`);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(head);
    return () => observer.disconnect();
  }, [template]);
}

type BodyProps<K extends string> = Pick<VirtualTableProps<K>, 'label' | 'columns' | 'count' | 'text' | 'href' | 'title' | 'height'>;

/**
 * The scrolling body. The virtualizer's state lives here, so a scroll re-renders the body's rows only, never the
 * header or the page around the table.
 *
 * It also holds the row cursor: the active row's index (not an element: the row elements are reused by position), so
 * it survives any scroll. The rows compare their index with it when they paint; the body points
 * aria-activedescendant at the active row's id (`<uid>-row-<index>`, set only on the element showing that row) while
 * that row is drawn. The mark shows only while the body has focus (virtual-table.css).
 */
function VirtualBody<K extends string>({ label, columns, count, text, href, title, height }: BodyProps<K>): JSX.Element {
  const [scrollEl, setScrollEl] = useState<HTMLDivElement | null>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  // More rows than a browser lays out (~1.1 M): the virtualizer scrolls a stand-in in the rows' coordinates, the
  // rows are drawn in a block pinned to the view (components/scaled-scroll.ts).
  const [scaled] = useState(() => new ScaledScroll());
  const scaling = count * ROW_HEIGHT > MAX_SPACE_PX;
  scaled.set(scrollEl, count * ROW_HEIGHT);
  const options: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    count,
    getScrollElement: () => (scaling && scrollEl ? (scaled as unknown as HTMLDivElement) : scrollEl),
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    scrollToFn: elementScroll,
    observeElementRect: scaling ? (instance, cb) => observeScaledRect(scaled, instance, cb) : observeElementRect,
    // Scaled, the pinned rows move on every scroll, not only when other rows come into view.
    observeElementOffset: scaling
      ? (instance, cb) =>
          observeElementOffset(instance, (offset, isScrolling) => {
            cb(offset, isScrolling);
            drawn.scrolled();
          })
      : observeElementOffset,
    // Only a change of the rows in view needs drawing (not the start or end of "is scrolling"); as many rows as are
    // drawn are moved in place, without a render.
    onChange: (instance) => {
      const range = instance.range;
      const key = range ? `${range.startIndex}:${range.endIndex}` : '';
      if (key !== drawn.key) {
        drawn.key = key;
        if (!drawn.move(instance.getVirtualItems(), range)) rerender(0);
      }
    },
  };
  const [drawn] = useState(() => new DrawnRows<K>());
  const [virtualizer] = useState(() => new Virtualizer(options));
  virtualizer.setOptions(options);
  drawn.pinnedAt = scaling ? () => virtualizer.scrollOffset ?? 0 : undefined;
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  const rc = useRowCursor(virtualizer, count, columns, href, text);
  const { cursor, activeId } = rc;

  // No taller than its rows (six events of a recipient left a blank band under them); memoised, as the body renders
  // on every frame of a scroll.
  const bodyStyle = useMemo(() => ({ height: height ?? `min(70vh, 42rem, ${count * ROW_HEIGHT + 2}px)` }), [height, count]);
  const items = virtualizer.getVirtualItems();
  drawn.rendered(items, cursor, activeId);
  // The rows' block's place and aria-activedescendant are written by DrawnRows (after each render, and by each move
  // without one), not through Preact: Preact would compare with what it last wrote, not with what a move wrote since.
  useLayoutEffect(() => drawn.placed());
  // The rows in flow, in one block moved to the first row's place (DrawnRows.place).
  const rows = (
    <div class="vtable__rows" ref={drawn.rowsRef}>
      {items.map((item, k) => (
        // Keyed by position among the rows drawn: the k-th row element always shows the k-th row in view, so a
        // scroll rewrites the text of the row elements in place and never moves one. (Keyed by row, a jump would
        // unmount and rebuild every row; keyed by slot = row modulo rows drawn, the slots rotate with the scroll
        // position and Preact moves most row elements, each move detaching and laying out the row anew: the
        // profile of a jump through a million rows showed those moves and their layout as most of the frame.)
        // DOM order stays the visual order, for assistive technology.
        <VirtualRow
          key={k}
          ref={drawn.rowRef(k)}
          slot={k}
          lines={drawn.lines}
          index={item.index}
          active={cursor}
          activeId={activeId}
          columns={columns}
          text={text}
          href={href}
          title={title}
        />
      ))}
      {/* After the rows: the rows' stripes count places among the block's children (virtual-table.css). */}
      <ColumnLines columns={columns} lines={drawn.lines} ref={drawn.linesRef} />
    </div>
  );
  return (
    <>
      <div
        class={scaling ? 'vtable__body vtable__body--scaled' : 'vtable__body'}
        role="rowgroup"
        ref={drawn.bodyRef(setScrollEl)}
        tabIndex={0}
        aria-label={label}
        aria-describedby={rc.keysId}
        onKeyDown={rc.onKeyDown}
        onClick={rc.onClick}
        onPointerOver={drawn.onPointerOver}
        onPointerLeave={drawn.onPointerLeave}
        onCopy={rc.onCopy}
        style={bodyStyle}
      >
        <div class="vtable__space" style={{ height: `${scaling ? MAX_SPACE_PX : virtualizer.getTotalSize()}px` }}>
          {scaling ? <div class="vtable__pin">{rows}</div> : rows}
        </div>
      </div>
      {/* The keys, for assistive technology (aria-describedby reads hidden text); outside the rowgroup, which holds rows only. */}
      <span id={rc.keysId} hidden>
        {t('vtable_keys')}
      </span>
      {/* The body's focus ring, above the rows (virtual-table.css). */}
      <div class="vtable__ring" aria-hidden="true" />
    </>
  );
}

/**
 * The body's row cursor: the active row's index, its row id, and the handlers of the keys and clicks that move it.
 * Made once and given the latest props on each render by field writes: the body renders on every frame of a fast
 * scroll, and new closures or id strings there would be garbage every frame.
 */
function useRowCursor<K extends string>(
  virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>,
  count: number,
  columns: readonly VirtualColumn<K>[],
  href: ((row: number, key: K) => string | undefined) | undefined,
  text: (row: number, key: K) => string,
): RowCursor<K> {
  const [active, setActive] = useState(-1);
  const uid = useId();
  const [cursor] = useState(() => new RowCursor<K>(virtualizer, setActive, uid));
  cursor.update(active, count, columns, href, text);
  return cursor;
}

class RowCursor<K extends string> {
  /** The active row (-1: none yet). */
  cursor = -1;
  /** The id of the element showing the active row (`<uid>-row-<index>`): it follows the row, not the element. */
  activeId: string;
  /** The id of the hidden text that describes the keys. */
  readonly keysId: string;
  private count = 0;
  private columns: readonly VirtualColumn<K>[] = [];
  private href: ((row: number, key: K) => string | undefined) | undefined;
  private text: (row: number, key: K) => string = () => '';

  constructor(
    private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>,
    private readonly setActive: (index: number) => void,
    private readonly uid: string,
  ) {
    this.activeId = `${uid}-row--1`;
    this.keysId = `${uid}-keys`;
  }

  update(
    active: number,
    count: number,
    columns: readonly VirtualColumn<K>[],
    href: ((row: number, key: K) => string | undefined) | undefined,
    text: (row: number, key: K) => string,
  ): void {
    this.count = count;
    this.columns = columns;
    this.href = href;
    this.text = text;
    // Fewer rows than the cursor's index (a narrower filter): no row is active until the next key press.
    const cursor = active < count ? active : -1;
    if (cursor !== this.cursor) {
      this.cursor = cursor;
      this.activeId = `${this.uid}-row-${cursor}`;
    }
  }

  readonly onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>): void => {
    const { count, cursor, virtualizer } = this;
    // Keys pressed in something inside the body (a link focused by a click) are that element's.
    if (e.target !== e.currentTarget || e.altKey || e.metaKey || e.shiftKey || count === 0) return;
    if (e.ctrlKey && e.key !== 'Home' && e.key !== 'End') return;
    // The first row wholly in view: where the cursor starts when no row is active yet. From the virtualizer's cached
    // offset and size: no layout read.
    const first = Math.min(count - 1, Math.ceil((virtualizer.scrollOffset ?? 0) / ROW_HEIGHT));
    const from = cursor < 0 ? first : cursor;
    const page = Math.max(1, Math.floor((virtualizer.scrollRect?.height ?? 0) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        this.moveTo(cursor < 0 ? first : cursor + 1);
        break;
      case 'ArrowUp':
        this.moveTo(cursor < 0 ? first : cursor - 1);
        break;
      case 'PageDown':
        this.moveTo(from + page);
        break;
      case 'PageUp':
        this.moveTo(from - page);
        break;
      case 'Home':
        this.moveTo(0);
        break;
      case 'End':
        this.moveTo(count - 1);
        break;
      case 'Enter':
        if (cursor < 0 || !this.follow(cursor)) return;
        break;
      default:
        return;
    }
    // The browser's own scroll for these keys would move the rows away from the cursor.
    e.preventDefault();
  };

  // A click in a row puts the cursor there (the click also focuses the body, its nearest focusable ancestor).
  readonly onClick = (e: JSX.TargetedMouseEvent<HTMLDivElement>): void => {
    const row = (e.target as Element | null)?.closest?.('.vtable__row');
    const index = row ? Number(row.getAttribute('aria-rowindex')) - 2 : -1;
    if (index >= 0 && index < this.count) this.setActive(index);
  };

  /**
   * Copy (Ctrl+C) with nothing selected copies the active row, its cells' texts separated by tabs (as a spreadsheet
   * pastes them): the plain and link columns' text is drawn where the pointer cannot select it (ColumnLines).
   */
  readonly onCopy = (e: JSX.TargetedClipboardEvent<HTMLDivElement>): void => {
    const selection = document.getSelection();
    if ((selection && !selection.isCollapsed && selection.toString() !== '') || this.cursor < 0 || !e.clipboardData) return;
    const cursor = this.cursor;
    e.clipboardData.setData('text/plain', this.columns.map((c) => oneLine(this.text(cursor, c.key))).join('\t'));
    e.preventDefault();
  };

  /** Moves the cursor to row `index` (clamped) and scrolls it into view, by as little as needed. */
  private moveTo(index: number): void {
    const next = Math.max(0, Math.min(this.count - 1, index));
    this.setActive(next);
    this.virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  /** Follows the first in-view link of row `index`, as a click on it would (a hash route only, never elsewhere). */
  private follow(index: number): boolean {
    for (const c of this.columns) {
      if (c.kind !== 'link') continue;
      const target = this.href?.(index, c.key);
      // Not a hash route: the cell shows no link (setLink), so Enter has none to follow either.
      if (target === undefined || !target.startsWith('#')) continue;
      location.hash = target;
      return true;
    }
    return false;
  }
}

/**
 * The body's rows as last drawn, so a scroll can move them without a render. A jump through a million rows changes
 * the rows in view on every frame; a Preact render of the body for it built a virtual node and props for each row
 * (~9 MB of the ~26 MB a 1 000-jump scroll allocated, in V8's sampling heap profile, and work on every frame).
 * (The major collections during a scroll kept their pace without that garbage: script's garbage does not set it.)
 * When no more rows are in view than are drawn, each
 * row element is told its new row directly, and those left over are hidden until needed (the number in view changes
 * by one or two with the scroll position); when more are (or the props change) the body renders as before.
 */
class DrawnRows<K extends string> {
  /** The range last drawn, `start:end` (VirtualBody's onChange compares it). */
  key = '';
  private readonly rows: (VirtualRow<K> | null)[] = [];
  private readonly refs: ((row: VirtualRow<K> | null) => void)[] = [];
  private count = 0;
  private cursor = -1;
  private activeId = '';
  private body: HTMLDivElement | null = null;
  private bodyCallback: ((el: HTMLDivElement | null) => void) | undefined;

  private first = 0;
  private last = -1;
  /** The row the block's first row element would show (its rows are consecutive): the stripes' parity. */
  private base = 0;
  /** Where the first row in view starts (px). */
  private start = 0;
  /**
   * Scaled (more rows than a browser lays out): the scroll offset in the rows' coordinates, where the block's pinned
   * view starts (VirtualBody); undefined otherwise, the block then placed in the scrolling space itself.
   */
  pinnedAt: (() => number) | undefined;
  /** The element holding the row elements, and where it was last put (and whether its first row was odd). */
  private block: HTMLDivElement | null = null;
  private placedStart = -1;
  private placedOdd = false;
  readonly rowsRef = (el: HTMLDivElement | null): void => {
    // A new element has neither position nor class yet.
    this.block = el;
    this.placedStart = -1;
    this.placedOdd = false;
  };

  /** The plain and link columns' texts by row element, and the canvas that draws them (ColumnLines). */
  readonly lines = new LineTexts();
  readonly linesRef = (el: ColumnLines<K> | null): void => {
    this.lines.view = el as ColumnLines<string> | null;
  };

  /** The rows to draw, as last given (a fast scroll's fill draws them all later), and a count of draws. */
  private items: readonly Item[] = [];
  private draws = 0;

  /** The cell under the pointer: its row element's place among the drawn ones, and its column (-1: none). */
  private hoverRow = -1;
  private hoverCol = -1;

  /** The pointer over the body: the cell under it takes its title (VirtualRow.paintTitles). */
  readonly onPointerOver = (e: JSX.TargetedPointerEvent<HTMLDivElement>): void => {
    const cell = (e.target as Element | null)?.closest?.('.vtable__cell');
    const row = cell?.parentElement;
    const k = row && row.parentElement === this.block ? indexAmongSiblings(row) : -1;
    this.hover(k, k < 0 ? -1 : indexAmongSiblings(cell!));
  };

  readonly onPointerLeave = (): void => this.hover(-1, -1);

  private hover(k: number, col: number): void {
    if (k === this.hoverRow && col === this.hoverCol) return;
    if (this.hoverRow >= 0) this.rows[this.hoverRow]?.setHover(-1);
    this.hoverRow = k;
    this.hoverCol = col;
    if (k >= 0) this.rows[k]?.setHover(col);
  }

  /** What the render draws: the rows in view and those around them, and the row cursor. */
  rendered(items: readonly Item[], cursor: number, activeId: string): void {
    this.count = items.length;
    this.items = items;
    this.draws++;
    this.shown(items, 0, items.length);
    this.cursor = cursor;
    this.activeId = activeId;
  }

  /** The first and last row drawn (`items[from]` to `items[to - 1]`), and where the first starts. */
  private shown(items: readonly Item[], from: number, to: number): void {
    this.lines.from = from;
    this.lines.to = to;
    this.first = items[from]?.index ?? 0;
    this.base = this.first - from;
    this.last = items[to - 1]?.index ?? -1;
    this.start = items[from]?.start ?? 0;
  }

  /**
   * The rows are in flow, one under the other, in one block: the rows in view are consecutive and all ROW_HEIGHT
   * high, so the block goes where the first starts, and the k-th row element lands where the k-th row does. A jump
   * then changes one element's position (not one per row: each such change was a style recalculation and a
   * paint-property update of its row), and the zebra stripes, on every other row element, shift by one element when
   * the parity of the row the first element shows changes (one class on the block, not one on every row; the rows
   * are restyled, their cells not). Counted from the first element, hidden or not: the rows' CSS counts places.
   */
  private place(): void {
    const block = this.block;
    if (!block) return;
    // Scaled, the offset is rarely a whole number: the block goes to a whole px, or its canvas's text would blur.
    const top = this.pinnedAt ? Math.round(this.start - this.pinnedAt()) : this.start;
    if (top !== this.placedStart) {
      block.style.transform = `translateY(${top}px)`;
      this.placedStart = top;
    }
    const odd = this.base % 2 === 1;
    if (odd !== this.placedOdd) {
      block.classList.toggle('vtable__rows--odd-first', odd);
      this.placedOdd = odd;
    }
  }

  /** A scroll, scaled: the pinned block follows the offset even when the same rows stay in view. */
  scrolled(): void {
    if (this.pinnedAt) this.place();
  }

  /** After a render or a move: the rows' block in place, the columns' lines drawn, the row cursor described. */
  placed(): void {
    this.place();
    this.lines.paint();
    this.describe();
  }

  /** aria-activedescendant names the active row only while an element shows it: it must name an element that exists. */
  private describe(): void {
    if (!this.body) return;
    if (this.cursor >= this.first && this.cursor <= this.last) this.body.setAttribute('aria-activedescendant', this.activeId);
    else this.body.removeAttribute('aria-activedescendant');
  }

  /** The ref of the k-th row element (the same function every render). */
  rowRef(k: number): (row: VirtualRow<K> | null) => void {
    return (this.refs[k] ??= (row) => {
      this.rows[k] = row;
    });
  }

  /** The body element's ref, which also hands the element to `set` (the same function every render). */
  bodyRef(set: (el: HTMLDivElement | null) => void): (el: HTMLDivElement | null) => void {
    return (this.bodyCallback ??= (el) => {
      this.body = el;
      set(el);
    });
  }

  /**
   * Shows `items` in the drawn row elements; false when there are too few of them (then the body must render).
   *
   * `inView`, the rows in view (the virtualizer's range, without the rows drawn around it): when most of them were not
   * drawn before, the scroll is fast (a jump, a drag of the scrollbar's thumb, a page at a time), and the rows around
   * them, out of sight, wait. Only the rows in view are drawn (the others hidden, the block placed at the first drawn),
   * and the rest two frames later unless the scroll has gone on: a jump through a million rows then writes a quarter
   * fewer cells each frame. Each cell's new text costs the browser ~3 KB of layout objects on its own collected heap
   * (Oilpan), whatever the text's length: what sets the pace of the collections a long fast scroll meets (the logs
   * bench's `logs_scroll_blink_alloc_kb_per_frame`).
   */
  move(items: readonly Item[], inView?: { startIndex: number; endIndex: number } | null): boolean {
    if (items.length > this.count || !this.body) return false;
    for (let k = 0; k < this.count; k++) if (!this.rows[k]) return false;
    let from = 0;
    let to = items.length;
    if (inView && this.mostlyNew(inView)) {
      while (from < to && items[from]!.index < inView.startIndex) from++;
      while (to > from && items[to - 1]!.index > inView.endIndex) to--;
    }
    for (let k = 0; k < from; k++) this.rows[k]!.hide();
    for (let k = from; k < to; k++) this.rows[k]!.move(items[k]!.index, this.cursor, this.activeId);
    for (let k = to; k < this.count; k++) this.rows[k]!.hide();
    this.items = items;
    const draw = ++this.draws;
    this.shown(items, from, to);
    this.placed();
    if (to - from < items.length) this.fillLater(draw, 2);
    return true;
  }

  /**
   * Draws all rows of the last draw (`draw`) once `frames` frames have begun with no other draw since. Two frames: a
   * scroll in an animation-frame callback (a script's, an animation's) may come after this one in the next frame.
   */
  private fillLater(draw: number, frames: number): void {
    requestAnimationFrame(() => {
      if (this.draws !== draw) return;
      if (frames > 1) this.fillLater(draw, frames - 1);
      else this.move(this.items);
    });
  }

  /** Whether fewer than half of the rows in view are drawn now. */
  private mostlyNew({ startIndex, endIndex }: { startIndex: number; endIndex: number }): boolean {
    const kept = Math.min(endIndex, this.last) - Math.max(startIndex, this.first) + 1;
    return kept * 2 < endIndex - startIndex + 1;
  }
}

/**
 * `n` in decimal, as a new string rather than the one V8 keeps for that number in its number-to-string cache. Every
 * major collection, in its final pause, clears V8's table of external strings (strings whose characters Blink holds,
 * as it does for values handed to the DOM). With the row index written as `String(n)`, that clearing grew over a
 * scroll of 2 500 jumps (300 000-event store) from 0.35 ms to ~2 ms; with the index not written at all, from 0.07 to
 * ~0.5 ms; written from this, from 0.09 to 0.6–0.8 ms (the logs bench with LOGS_BENCH_TRACE:
 * `clear.external_string_table` in V8's record of each collection).
 */
const freshNumber = (n: number): string => `${n} `.trimEnd();

const indexAmongSiblings = (el: Element): number => Array.prototype.indexOf.call(el.parentElement?.children ?? [], el);

/**
 * Whether a column's text is drawn in its lines on the canvas (plain text and links) rather than in its cells (tags). A
 * link column's cells hold an empty link over the cell, named by the text, which the pointer and Enter follow.
 */
const inLines = (c: VirtualColumn<string>): boolean => c.kind !== 'tag';

const LINE_BREAKS = /[\n\r\t\v\f\u0085\u2028\u2029]/;
const LINE_BREAKS_ALL = /[\n\r\t\v\f\u0085\u2028\u2029]/g;
/** `text` on one line: a source's line breaks (and tabs) as spaces, drawn as spaces rather than as boxes or nothing. */
const oneLine = (text: string): string => (LINE_BREAKS.test(text) ? text.replace(LINE_BREAKS_ALL, ' ') : text);

/**
 * The text each row element shows in each plain or link column (by column, then by the element's place among the
 * drawn), and which elements show rows now: what ColumnLines draws.
 */
class LineTexts {
  readonly byColumn: string[][] = [];
  /** The row elements showing rows: `from` to `to - 1` (DrawnRows). */
  from = 0;
  to = 0;
  view: ColumnLines<string> | null = null;
  private queued = false;

  set(col: number, slot: number, text: string): void {
    (this.byColumn[col] ??= [])[slot] = text;
  }

  /** Draws the lines now: after a move, or a render of the rows that were there already. */
  paint(): void {
    this.view?.paint(this, this.from, this.to);
  }

  /**
   * Draws the lines once the render that mounted (or rebuilt) rows has finished: Preact calls the body's layout
   * effect, which draws them at once, before the new rows' componentDidMount, where they first paint. A microtask runs
   * before the frame is drawn.
   */
  paintSoon(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.paint();
    });
  }
}

interface LinesProps<K extends string> {
  columns: readonly VirtualColumn<K>[];
  lines: LineTexts;
}

/** The lines canvas: what it shows, by column (none for a tag column) then line, for tests and debugging. */
export interface LinesCanvas extends HTMLCanvasElement {
  drawnLines?: readonly (readonly string[] | undefined)[];
}

/** Where a plain or link column's text goes on the canvas (CSS px from the rows' left), and how it looks. */
interface ColumnPlace {
  x: number;
  width: number;
  link: boolean;
  /** Erases text over the column's last `fadeWidth` px, to transparent: a cut line fades out (ColumnLines.paint). */
  fade: CanvasGradient;
  fadeWidth: number;
}

/**
 * The plain and link columns' text, drawn on one canvas over the rows (hidden from assistive technology, which reads
 * the cells' names): a line per row shown, each line's text on its row, cut at its column's edge and faded out there.
 * A jump through a million rows then writes no text to the DOM. Laid out as text (a block of lines per column, before
 * 2026-11-29), each jump's lines made ~240 KB of layout objects on the browser's collected heap (Oilpan: it grew 37 MB
 * over 150 jumps with the rows hidden, 9.6 MB with the lines hidden), most of what set the pace of the major collections
 * whose pauses dropped frames. Drawn here, a jump allocates ~140 KB in all (21 MB over 150 jumps; the canvas shapes new
 * words), and in the logs bench (300 000-event store, 3 000 jumps) the scroll met 6 and 7 major collections against 13
 * and 13, a jump's work p50 4.2–4.3 ms against 4.9–5.0.
 *
 * Geometry from the browser, not from constants: each column's place and width come from an empty element per column
 * laid out as the cells are (same flex basis and padding), its font and colours from their computed style (a link
 * column's element has the links' style), read again when a column's size, the pixel ratio, the colour scheme or forced
 * colours change. What is lost against text in the DOM: find-in-page does not see the ~30 rows in view (the filters
 * search all rows), and text is anti-aliased in grey rather than by subpixel.
 *
 * The canvas lets the pointer through to the rows, so their cells still take the clicks (a link column's cell holds an
 * empty link over it) and the hover titles; copying with no selection copies the active row (RowCursor.onCopy).
 */
class ColumnLines<K extends string> extends Component<LinesProps<K>> {
  private readonly el = createRef<HTMLDivElement>();
  private readonly canvasRef = createRef<HTMLCanvasElement>();
  private ctx: CanvasRenderingContext2D | null = null;
  /** Per column: where its text goes (none for a tag column); null until read (again). */
  private places: (ColumnPlace | undefined)[] | null = null;
  private font = '';
  private color = '';
  private linkColor = '';
  /** From a line's top to its text's baseline, and to its links' underline (CSS px), and the underline's thickness. */
  private baseline = 0;
  private underline = 0;
  private underlineWidth = 1;
  private width = 0;
  private height = 0;
  private ratio = 1;
  /** Per column, the texts drawn, by line (their arrays reused); and how many lines. */
  private readonly drawn: (string[] | undefined)[] = [];
  private drawnCount = -1;
  /** Each Latin-1 character's advance in the font (CSS px), for textWidth. */
  private readonly advances = new Float64Array(256);
  /** The lines of a column cut at its edge, as the paint finds them (reused: no allocation per paint). */
  private cut = new Uint16Array(64);
  /** The last paint's rows, to draw again when the geometry changes. */
  private lastLines: LineTexts | null = null;
  private lastFrom = 0;
  private lastTo = 0;
  private observer: ResizeObserver | null = null;
  private readonly media: MediaQueryList[] = [];
  /** Matches the pixel ratio the canvas was drawn at; its change (zoom, another screen) draws it again. */
  private ratioQuery: MediaQueryList | null = null;

  private readonly reread = (): void => {
    this.places = null;
    if (this.lastLines) this.paint(this.lastLines, this.lastFrom, this.lastTo);
  };

  /** Listens for a change of the pixel ratio from the one now (a zoom need not resize any column). */
  private watchRatio(): void {
    this.ratioQuery?.removeEventListener('change', this.ratioChanged);
    this.ratioQuery = typeof matchMedia === 'function' ? matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`) : null;
    this.ratioQuery?.addEventListener('change', this.ratioChanged);
  }

  private readonly ratioChanged = (): void => {
    this.watchRatio();
    this.reread();
  };

  override shouldComponentUpdate(next: LinesProps<K>): boolean {
    return next.columns !== this.props.columns;
  }

  override componentDidMount(): void {
    if (typeof ResizeObserver !== 'undefined') this.observer = new ResizeObserver(this.reread);
    if (typeof matchMedia === 'function') {
      for (const query of ['(prefers-color-scheme: dark)', '(forced-colors: active)', '(prefers-contrast: more)']) {
        const m = matchMedia(query);
        m.addEventListener('change', this.reread);
        this.media.push(m);
      }
    }
    this.watchRatio();
    this.build();
  }

  override componentDidUpdate(): void {
    this.build();
  }

  override componentWillUnmount(): void {
    this.observer?.disconnect();
    for (const m of this.media) m.removeEventListener('change', this.reread);
    this.ratioQuery?.removeEventListener('change', this.ratioChanged);
  }

  /** New columns: their elements observed for size, the geometry read at the next paint, which comes soon. */
  private build(): void {
    const el = this.el.current;
    if (!el) return;
    this.props.columns.forEach((c, i) => {
      (el.children[i] as HTMLElement).className = c.kind === 'link' ? 'vtable__lines-link' : '';
    });
    this.observer?.disconnect();
    this.observer?.observe(el);
    for (let i = 0; i < this.props.columns.length; i++) this.observer?.observe(el.children[i]!);
    this.places = null;
    this.props.lines.paintSoon();
  }

  /** Reads the columns' places, the font and colours (the canvas is sized at the paint): once, and after any change. */
  private readPlaces(): void {
    const el = this.el.current;
    const canvas = this.canvasRef.current;
    this.ctx ??= canvas?.getContext('2d') ?? null;
    const ctx = this.ctx;
    if (!el || !ctx) return;
    const style = getComputedStyle(el);
    // The shorthand reads empty when a part of it has no place in it (the table's tabular numbers): built from parts.
    this.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    this.color = style.color;
    this.linkColor = style.color;
    ctx.font = this.font;
    const size = parseFloat(style.fontSize) || 14;
    // Where CSS puts a line's text: the font's ascent and descent centred in the line (half-leading on each side).
    const m = ctx.measureText('Hg');
    const ascent = m.fontBoundingBoxAscent || size * 0.8;
    const descent = m.fontBoundingBoxDescent || size * 0.2;
    this.ratio = window.devicePixelRatio || 1;
    const snap = (px: number): number => Math.round(px * this.ratio) / this.ratio;
    this.baseline = snap((ROW_HEIGHT - ascent - descent) / 2 + ascent);
    // As `text-underline-offset: 0.15em` below the baseline (virtual-table.css had it so for the links' lines).
    this.underline = snap(this.baseline + size * 0.15);
    this.underlineWidth = Math.max(1, snap(size / 14));
    for (let c = 32; c < 256; c++) this.advances[c] = c < 127 || c > 159 ? ctx.measureText(String.fromCharCode(c)).width : 0;
    const fadeWidth = Math.round(size * 1.5);
    this.places = this.props.columns.map((c, i) => {
      if (!inLines(c)) return undefined;
      const col = el.children[i] as HTMLElement;
      const cs = getComputedStyle(col);
      const left = parseFloat(cs.paddingLeft) || 0;
      const right = parseFloat(cs.paddingRight) || 0;
      if (c.kind === 'link') this.linkColor = cs.color;
      const x = col.offsetLeft + left;
      const width = Math.max(0, col.clientWidth - left - right);
      const fw = Math.min(fadeWidth, width / 3);
      const fade = ctx.createLinearGradient(x + width - fw, 0, x + width, 0);
      fade.addColorStop(0, 'rgba(0, 0, 0, 0)');
      fade.addColorStop(1, 'rgba(0, 0, 0, 1)');
      return { x, width, link: c.kind === 'link', fade, fadeWidth: fw };
    });
    this.width = el.clientWidth;
    this.height = 0; // sized at the paint
    this.drawnCount = -1;
  }

  /**
   * The width `text` takes (CSS px), exactly enough to tell whether it fits in `room`: summed from the Latin-1
   * characters' advances (read once per font) where that is clearly under or over `room`, and measured by the canvas
   * otherwise or where a character is outside Latin-1. Measuring every line made the canvas's text-metrics objects a
   * tenth of what a jump allocated, and a jump's work ~10 % longer (logs bench).
   */
  private textWidth(text: string, room: number): number {
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 255) return this.ctx!.measureText(text).width;
      width += this.advances[c]!;
    }
    // Kerning and ligatures move a line by a px or two: only a sum near the room needs the exact width.
    return width < room - 2 || width > room * 1.1 + 4 ? width : this.ctx!.measureText(text).width;
  }

  /** Draws the lines of row elements `from` to `to - 1`, the ones showing rows now. */
  paint(lines: LineTexts, from: number, to: number): void {
    this.lastLines = lines;
    this.lastFrom = from;
    this.lastTo = to;
    const count = Math.max(0, to - from);
    const { columns } = this.props;
    // What each line shows, first: the same as drawn, nothing to do.
    let same = count === this.drawnCount && this.places !== null && this.ratio === (window.devicePixelRatio || 1);
    for (let i = 0; i < columns.length; i++) {
      if (!inLines(columns[i]!)) {
        this.drawn[i] = undefined;
        continue;
      }
      const texts = lines.byColumn[i] ?? [];
      const drawn = (this.drawn[i] ??= []);
      for (let k = 0; k < count; k++) {
        const text = texts[from + k] ?? '';
        if (drawn[k] !== text) {
          drawn[k] = text;
          same = false;
        }
      }
      drawn.length = count;
    }
    this.drawn.length = columns.length;
    const canvas = this.canvasRef.current as LinesCanvas | null;
    if (canvas) canvas.drawnLines = this.drawn;
    if (same) return;
    this.drawnCount = count;
    if (!this.places || this.ratio !== (window.devicePixelRatio || 1)) this.readPlaces();
    const ctx = this.ctx;
    const places = this.places;
    if (!ctx || !places || !canvas) return;
    const height = count * ROW_HEIGHT;
    if (this.cut.length < count) this.cut = new Uint16Array(count);
    if (height > this.height || canvas.width !== Math.round(this.width * this.ratio)) {
      // Grown to the most lines shown so far (a resize clears the canvas and costs an allocation: not every jump).
      this.height = Math.max(height, this.height);
      canvas.width = Math.round(this.width * this.ratio);
      canvas.height = Math.round(this.height * this.ratio);
      canvas.style.width = `${this.width}px`;
      canvas.style.height = `${this.height}px`;
    }
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.font = this.font;
    ctx.textBaseline = 'alphabetic';
    for (let i = 0; i < places.length; i++) {
      const place = places[i];
      const drawn = this.drawn[i];
      if (!place || !drawn) continue;
      ctx.save();
      ctx.beginPath();
      ctx.rect(place.x, 0, place.width, height);
      ctx.clip();
      ctx.fillStyle = place.link ? this.linkColor : this.color;
      let cut = 0;
      for (let k = 0; k < count; k++) {
        const text = drawn[k]!;
        if (!text) continue;
        const top = k * ROW_HEIGHT;
        const width = this.textWidth(text, place.width);
        ctx.fillText(text, place.x, top + this.baseline);
        if (place.link) ctx.fillRect(place.x, top + this.underline, Math.min(place.width, width), this.underlineWidth);
        if (width > place.width) this.cut[cut++] = k;
      }
      // A line too long for its column fades out over the column's last px, rather than stopping mid-letter.
      if (cut > 0) {
        ctx.globalCompositeOperation = 'destination-out';
        ctx.fillStyle = place.fade;
        for (let c = 0; c < cut; c++) ctx.fillRect(place.x + place.width - place.fadeWidth, this.cut[c]! * ROW_HEIGHT, place.fadeWidth, ROW_HEIGHT);
      }
      ctx.restore();
    }
  }

  override render(): JSX.Element {
    return (
      <div class="vtable__lines" aria-hidden="true" ref={this.el}>
        {/* Empty, laid out as the cells: where each column's text goes, and its style (ColumnLines.readPlaces). */}
        {this.props.columns.map((c, i) => (
          <div key={c.key} style={{ flex: `0 0 var(--vtable-w${i}, auto)` }} />
        ))}
        <canvas class="vtable__canvas" ref={this.canvasRef} />
      </div>
    );
  }
}

/** A row to draw: its index and where it starts (px); the virtualizer's items. */
interface Item {
  index: number;
  start: number;
}

interface RowProps<K extends string> {
  /** This row element's place among the drawn ones, and where it leaves its lines' texts for ColumnLines. */
  slot: number;
  lines: LineTexts;
  index: number;
  /** The row cursor's index (-1: none) and the id the element showing that row takes. */
  active: number;
  activeId: string;
  columns: readonly VirtualColumn<K>[];
  text: (row: number, key: K) => string;
  href: ((row: number, key: K) => string | undefined) | undefined;
  title: ((row: number, key: K) => string | undefined) | undefined;
}

/** What a body cell shows now, so a repaint writes to the DOM only what changed. */
interface CellState {
  el: HTMLElement;
  /**
   * The text node the cell's text goes to (inside the tag: tag columns only); none for a plain or link column, whose
   * text goes to the name of the cell (or of its link) and to its column's lines.
   */
  node: Text | undefined;
  /**
   * The text last written to `node`. Compared instead of reading `node.data`: each read of a DOM string hands script
   * a new external string wrapping the browser's copy, ~270 per frame while jumping through rows, and the garbage
   * collector's final pause frees those one by one (4–5 ms of a 13–15 ms pause in a trace of the logs bench).
   */
  text: string;
  link: HTMLAnchorElement | undefined;
  href: string | undefined;
  title: string | undefined;
}

/**
 * One body row. Preact draws its element and its cells' elements once (and again only when the columns change); the
 * cells' content and the row's index are then written straight to the DOM on every scroll (where it stands is its
 * place among the rows, in DrawnRows' block): a jump through a million rows redraws ~30 rows per frame, and building
 * Preact elements for them was ~110 KB of garbage per frame; writing text nodes allocates little more than the
 * strings shown. A scroll that keeps the number of rows in view moves them with move(), without a render of the body
 * either (DrawnRows).
 *
 * Text goes into Text nodes (`data`), never HTML; a link's target must be an in-view hash route.
 */
class VirtualRow<K extends string> extends Component<RowProps<K>> {
  private readonly rowRef = createRef<HTMLDivElement>();
  private cells: CellState[] = [];
  /** The row this element shows (-1: none yet). */
  private paintedIndex = -1;
  /** The id this element has now: set while it shows the active row, else none. */
  private paintedId: string | undefined;
  /** The row cursor's index when last painted. */
  private paintedActive = -1;
  /** Whether the cells' titles were last painted for the active row (all of them) or not (the hovered cell's only). */
  private titledActive = false;
  /** The column of the cell under the pointer (-1: none in this row). */
  private hoverCol = -1;

  override shouldComponentUpdate(next: RowProps<K>): boolean {
    if (next.columns !== this.props.columns) return true; // new cells: Preact draws them, componentDidUpdate fills them
    const p = this.props;
    // Against what is shown, not the last props: a scroll may have moved this row since (move()).
    if (
      next.index !== this.paintedIndex ||
      next.active !== this.paintedActive ||
      next.text !== p.text ||
      next.href !== p.href ||
      next.title !== p.title
    ) {
      this.paint(next, next.text !== p.text || next.href !== p.href || next.title !== p.title);
    }
    return false;
  }

  override componentDidMount(): void {
    this.build();
    this.paint(this.props, true);
    this.props.lines.paintSoon();
  }

  override componentDidUpdate(): void {
    this.build();
    this.paint(this.props, true);
    this.props.lines.paintSoon();
  }

  /** The cells' content nodes, after Preact (re)drew the cell elements (empty: their content is ours). */
  private build(): void {
    const row = this.rowRef.current;
    if (!row) return;
    this.cells = this.props.columns.map((c, i) => {
      const el = row.children[i] as HTMLElement;
      el.textContent = '';
      el.removeAttribute('title');
      el.removeAttribute('aria-label');
      if (inLines(c)) {
        this.props.lines.set(i, this.props.slot, '');
        return { el, node: undefined, text: '', link: undefined, href: undefined, title: undefined };
      }
      // A tag: its text in the cell, in a tag.
      const node = document.createTextNode('');
      const span = document.createElement('span');
      span.className = 'type-tag';
      span.append(node);
      el.append(span);
      return { el, node, text: '', link: undefined, href: undefined, title: undefined };
    });
  }

  /** The pointer is over this row's cell `col` now (-1: over none of them): that cell takes its title. */
  setHover(col: number): void {
    this.hoverCol = col;
    if (this.paintedIndex >= 0) this.paintTitles(this.props, this.paintedIndex, this.paintedActive);
  }

  /** Shows row `index`, with the row cursor as given: a scroll moving the rows without a render. */
  move(index: number, active: number, activeId: string): void {
    this.paint(this.props, false, index, active, activeId);
  }

  /** No row to show for now (fewer rows in view than drawn): out of sight and of the accessibility tree. */
  hide(): void {
    const row = this.rowRef.current;
    if (!row || row.hidden) return;
    row.hidden = true;
    // Shows no row: any row given next is drawn, even the one it showed before (a render compares with this).
    this.paintedIndex = -1;
    // It shows no row, so not the active one either.
    if (this.paintedId !== undefined) {
      row.classList.remove('vtable__row--active');
      row.removeAttribute('id');
      this.paintedId = undefined;
    }
  }

  private paint(p: RowProps<K>, force: boolean, index = p.index, active = p.active, activeId = p.activeId): void {
    const row = this.rowRef.current;
    if (!row) return;
    if (row.hidden) row.hidden = false;
    const { columns } = p;
    this.paintActive(row, index, active, activeId);
    if (index === this.paintedIndex && !force) {
      // The same row, and it became or stopped being the active one.
      if ((index === active) !== this.titledActive) this.paintTitles(p, index, active);
      return;
    }
    row.setAttribute('aria-rowindex', freshNumber(index + 2));
    this.paintedIndex = index;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const cell = this.cells[i];
      if (!cell) continue;
      const text = p.text(index, c.key);
      if (cell.text !== text) {
        if (cell.node) cell.node.data = text;
        else {
          (cell.link ?? cell.el).setAttribute('aria-label', text);
          p.lines.set(i, p.slot, oneLine(text));
        }
        cell.text = text;
      }
      if (c.kind === 'link') this.setLink(cell, p.href?.(index, c.key));
    }
    this.paintTitles(p, index, active);
  }

  /**
   * The cells' titles: on the cell under the pointer, where a title shows, and on every cell of the active row, whose
   * titles assistive technology reads as the cells' descriptions; on no other. Every change of a title makes the
   * browser restyle its element (the browser's own style sheet selects on `[title]`): with a title on every cell that
   * has one, ~100 cells were restyled each frame of a jump through the rows, and the jump's work took ~10 % longer
   * (logs bench, 300 000-event store: p50 2.8–3.3 ms, against 2.6–2.7 with no titles).
   */
  private paintTitles(p: RowProps<K>, index: number, active: number): void {
    this.titledActive = index === active;
    for (let i = 0; i < p.columns.length; i++) {
      const cell = this.cells[i];
      if (!cell) continue;
      const title = this.titledActive || i === this.hoverCol ? p.title?.(index, p.columns[i]!.key) : undefined;
      if (title === cell.title) continue;
      if (title === undefined) cell.el.removeAttribute('title');
      else cell.el.title = title;
      cell.title = title;
    }
  }

  /**
   * The row cursor's mark and id, on whichever element shows the active row now: a comparison of numbers on every
   * paint, and DOM writes only when this element starts or stops showing it.
   */
  private paintActive(row: HTMLDivElement, index: number, active: number, activeId: string): void {
    this.paintedActive = active;
    const id = index === active ? activeId : undefined;
    if (id === this.paintedId) return;
    if ((id === undefined) !== (this.paintedId === undefined)) row.classList.toggle('vtable__row--active', id !== undefined);
    if (id === undefined) row.removeAttribute('id');
    else row.id = id;
    this.paintedId = id;
  }

  /**
   * A link cell: an empty `<a href>` over the whole cell, named by the cell's text (drawn in its column's lines), when
   * the target is an in-view route; else no link, and the cell itself is named. The link is out of the Tab order: the
   * body is the table's one Tab stop, and Enter there follows the active row's link.
   */
  private setLink(cell: CellState, href: string | undefined): void {
    const safe = href !== undefined && href.startsWith('#') ? href : undefined;
    if (safe === cell.href) return;
    cell.href = safe;
    if (safe === undefined) {
      if (cell.link) {
        cell.link.remove();
        cell.link = undefined;
        cell.el.setAttribute('aria-label', cell.text);
      }
      return;
    }
    if (!cell.link) {
      cell.link = document.createElement('a');
      cell.link.className = 'vtable__link';
      cell.link.tabIndex = -1;
      cell.link.setAttribute('aria-label', cell.text);
      cell.el.removeAttribute('aria-label');
      cell.el.append(cell.link);
    }
    cell.link.setAttribute('href', safe);
  }

  override render(): JSX.Element {
    const { columns } = this.props;
    // Index and the row cursor's class are set by paint(); the cells' content by build() and paint().
    return (
      <div class="vtable__row" role="row" ref={this.rowRef} style={{ height: `${ROW_HEIGHT}px` }}>
        {columns.map((c, i) => (
          <div
            key={c.key}
            class={inLines(c) ? 'vtable__cell vtable__cell--lines' : 'vtable__cell'}
            role="cell"
            style={{ flex: `0 0 var(--vtable-w${i}, auto)` }}
          />
        ))}
      </div>
    );
  }
}
