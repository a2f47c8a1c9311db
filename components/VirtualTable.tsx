import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { Component, type ComponentChild, type JSX } from 'preact';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import './virtual-table.css';

export interface VirtualColumn<K extends string> {
  key: K;
  label: string;
  /** A CSS grid track, e.g. `minmax(9rem, 1fr)`. */
  width: string;
  sortable?: boolean;
}

export interface VirtualTableProps<K extends string> {
  /** Accessible name of the table. */
  label: string;
  columns: readonly VirtualColumn<K>[];
  count: number;
  /** Cell content of row `row` (0-based) in column `key`; text only (never HTML). */
  cell: (row: number, key: K) => ComponentChild;
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
  return (
    <div class="vtable" role="table" aria-label={label} aria-rowcount={count + 1} style={{ '--vtable-cols': template }}>
      <div class="vtable__head" role="rowgroup">
        <div class="vtable__row" role="row" aria-rowindex={1}>
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
      <VirtualBody label={label} columns={columns} count={count} cell={props.cell} title={props.title} height={props.height} />
    </div>
  );
}

type BodyProps<K extends string> = Pick<VirtualTableProps<K>, 'label' | 'columns' | 'count' | 'cell' | 'title' | 'height'>;

/**
 * The scrolling body. The virtualizer's state lives here, so a scroll re-renders the body's rows only, never the
 * header or the page around the table.
 */
function VirtualBody<K extends string>({ label, columns, count, cell, title, height }: BodyProps<K>): JSX.Element {
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
          <VirtualRow key={k} index={item.index} start={item.start} columns={columns} cell={cell} title={title} />
        ))}
      </div>
    </div>
  );
}

interface RowProps<K extends string> {
  index: number;
  start: number;
  columns: readonly VirtualColumn<K>[];
  cell: (row: number, key: K) => ComponentChild;
  title: ((row: number, key: K) => string | undefined) | undefined;
}

/**
 * One body row. Re-rendered only when it shows another row or the table's content functions change (a new sort,
 * filter or data set gives new ones): formatting a row's cells (dates, labels, user agents) is the main per-frame
 * cost. Re-renders without a change of the rows in view (new props of the table, a resize) then skip every row.
 */
class VirtualRow<K extends string> extends Component<RowProps<K>> {
  override shouldComponentUpdate(next: RowProps<K>): boolean {
    const p = this.props;
    return next.index !== p.index || next.start !== p.start || next.columns !== p.columns || next.cell !== p.cell || next.title !== p.title;
  }

  override render(): JSX.Element {
    const { index, start, columns, cell, title } = this.props;
    return (
      <div
        class={`vtable__row${index % 2 ? ' vtable__row--odd' : ''}`}
        role="row"
        aria-rowindex={index + 2}
        style={{ transform: `translateY(${start}px)`, height: `${ROW_HEIGHT}px` }}
      >
        {columns.map((c) => (
          <div key={c.key} class="vtable__cell" role="cell" title={title?.(index, c.key)}>
            {cell(index, c.key)}
          </div>
        ))}
      </div>
    );
  }
}
