import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { Component, createRef, type JSX, type RefObject } from 'preact';
import { useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import './virtual-table.css';

export interface VirtualColumn<K extends string> {
  key: K;
  label: string;
  /** A CSS grid track, e.g. `minmax(9rem, 1fr)`. */
  width: string;
  sortable?: boolean;
  /** How a body cell shows its text: plain (default), as a tag, or as a link to `href(row, key)` in the view. */
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
  /** Plain text of a cell, for the hover title of truncated cells. */
  title?: (row: number, key: K) => string | undefined;
  sort?: { key: K; dir: 'asc' | 'desc' } | undefined;
  onSort?: (key: K) => void;
  /** Height of the scrolling body, CSS (default: most of the window). */
  height?: string;
}

/** Fixed row height (px): the table never measures rows, so any position of a million rows renders in O(rows shown). */
export const ROW_HEIGHT = 30;

/**
 * A large table that renders only the rows in view: @tanstack/virtual-core (MIT; framework-free, so bound to Preact
 * here in a few lines the way its React adapter does it) over a fixed row height. The body scrolls with the keyboard
 * when focused (arrows, Page Up/Down, Home/End); the header stays above it. ARIA table roles with aria-rowcount and
 * aria-rowindex tell assistive technology the real size.
 *
 * Limit: browsers cap an element's height near 33.5 M px, i.e. about 1.1 M rows of 30 px.
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
 */
function VirtualBody<K extends string>({ label, columns, count, text, href, title, height }: BodyProps<K>): JSX.Element {
  const [scrollEl, setScrollEl] = useState<HTMLDivElement | null>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const options: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    count,
    getScrollElement: () => scrollEl,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    // Only a change of the rows in view needs a render (not the start or end of "is scrolling").
    onChange: (instance) => {
      const range = instance.range;
      const key = range ? `${range.startIndex}:${range.endIndex}` : '';
      if (key !== drawn.key) {
        drawn.key = key;
        rerender(0);
      }
    },
  };
  const [drawn] = useState(() => ({ key: '' }));
  const [virtualizer] = useState(() => new Virtualizer(options));
  virtualizer.setOptions(options);
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });

  const items = virtualizer.getVirtualItems();
  return (
    <div class="vtable__body" role="rowgroup" ref={setScrollEl} tabIndex={0} aria-label={label} style={{ height: height ?? 'min(70vh, 42rem)' }}>
      <div class="vtable__space" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {items.map((item, k) => (
          // Keyed by position among the rows drawn: the k-th row element always shows the k-th row in view, so a
          // scroll rewrites the text of the row elements in place and never moves one. (Keyed by row, a jump would
          // unmount and rebuild every row; keyed by slot = row modulo rows drawn, the slots rotate with the scroll
          // position and Preact moves most row elements, each move detaching and laying out the row anew: the
          // profile of a jump through a million rows showed those moves and their layout as most of the frame.)
          // DOM order stays the visual order, for assistive technology and find-in-page.
          <VirtualRow key={k} index={item.index} start={item.start} columns={columns} text={text} href={href} title={title} />
        ))}
      </div>
    </div>
  );
}

interface RowProps<K extends string> {
  index: number;
  start: number;
  columns: readonly VirtualColumn<K>[];
  text: (row: number, key: K) => string;
  href: ((row: number, key: K) => string | undefined) | undefined;
  title: ((row: number, key: K) => string | undefined) | undefined;
}

/** What a body cell shows now, so a repaint writes to the DOM only what changed. */
interface CellState {
  el: HTMLElement;
  /** The text node the cell's text goes to (inside the tag or link element for those kinds). */
  node: Text;
  link: HTMLAnchorElement | undefined;
  href: string | undefined;
  title: string | undefined;
}

/**
 * One body row. Preact draws its element and its cells' elements once (and again only when the columns change); the
 * cells' content, the row's position and its index are then written straight to the DOM on every scroll: a jump
 * through a million rows redraws ~30 rows per frame, and building Preact elements for them was ~110 KB of garbage
 * per frame; writing text nodes allocates little more than the strings shown (~20 KB). (What still brings garbage
 * collections while scrolling is mostly the browser's own layout objects for the new text: see the README.)
 *
 * Text goes into Text nodes (`data`), never HTML; a link's target must be an in-view hash route.
 */
class VirtualRow<K extends string> extends Component<RowProps<K>> {
  private readonly rowRef = createRef<HTMLDivElement>();
  private cells: CellState[] = [];
  private painted = { index: -1, start: -1 };

  override shouldComponentUpdate(next: RowProps<K>): boolean {
    if (next.columns !== this.props.columns) return true; // new cells: Preact draws them, componentDidUpdate fills them
    const p = this.props;
    if (next.index !== p.index || next.start !== p.start || next.text !== p.text || next.href !== p.href || next.title !== p.title) {
      this.paint(next, next.text !== p.text || next.href !== p.href || next.title !== p.title);
    }
    return false;
  }

  override componentDidMount(): void {
    this.build();
    this.paint(this.props, true);
  }

  override componentDidUpdate(): void {
    this.build();
    this.paint(this.props, true);
  }

  /** The cells' content nodes, after Preact (re)drew the cell elements (empty: their content is ours). */
  private build(): void {
    const row = this.rowRef.current;
    if (!row) return;
    this.cells = this.props.columns.map((c, i) => {
      const el = row.children[i] as HTMLElement;
      el.textContent = '';
      el.removeAttribute('title');
      const node = document.createTextNode('');
      if (c.kind === 'tag') {
        const span = document.createElement('span');
        span.className = 'type-tag';
        span.append(node);
        el.append(span);
      } else {
        el.append(node);
      }
      return { el, node, link: undefined, href: undefined, title: undefined };
    });
  }

  private paint(p: RowProps<K>, force: boolean): void {
    const row = this.rowRef.current;
    if (!row) return;
    const { index, start, columns } = p;
    if (start !== this.painted.start) row.style.transform = `translateY(${start}px)`;
    if (index === this.painted.index && !force) {
      this.painted.start = start;
      return;
    }
    if (this.painted.index < 0 || index % 2 !== this.painted.index % 2) row.classList.toggle('vtable__row--odd', index % 2 === 1);
    row.setAttribute('aria-rowindex', String(index + 2));
    this.painted = { index, start };
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const cell = this.cells[i];
      if (!cell) continue;
      const text = p.text(index, c.key);
      if (cell.node.data !== text) cell.node.data = text;
      if (c.kind === 'link') this.setLink(cell, p.href?.(index, c.key));
      const title = p.title?.(index, c.key);
      if (title !== cell.title) {
        if (title === undefined) cell.el.removeAttribute('title');
        else cell.el.title = title;
        cell.title = title;
      }
    }
  }

  /** A link cell: its text inside `<a href>` when the target is an in-view route, else plain text. */
  private setLink(cell: CellState, href: string | undefined): void {
    const safe = href !== undefined && href.startsWith('#') ? href : undefined;
    if (safe === cell.href) return;
    cell.href = safe;
    if (safe === undefined) {
      if (cell.link) {
        cell.link.remove();
        cell.link = undefined;
        cell.el.append(cell.node);
      }
      return;
    }
    if (!cell.link) {
      cell.link = document.createElement('a');
      cell.el.append(cell.link);
      cell.link.append(cell.node);
    }
    cell.link.setAttribute('href', safe);
  }

  override render(): JSX.Element {
    const { columns } = this.props;
    // Class, index and position are set by paint(); the cells' content by build() and paint().
    return (
      <div class="vtable__row" role="row" ref={this.rowRef} style={{ height: `${ROW_HEIGHT}px` }}>
        {columns.map((c, i) => (
          <div key={c.key} class="vtable__cell" role="cell" style={{ flex: `0 0 var(--vtable-w${i}, auto)` }} />
        ))}
      </div>
    );
  }
}
