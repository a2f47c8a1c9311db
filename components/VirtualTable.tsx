import {
  Virtualizer,
  elementScroll,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import type { ComponentChild, JSX } from 'preact';
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
  const { label, columns, count, cell, title, sort, onSort } = props;
  const [scrollEl, setScrollEl] = useState<HTMLDivElement | null>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const options: VirtualizerOptions<HTMLDivElement, HTMLDivElement> = {
    count,
    getScrollElement: () => scrollEl,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    onChange: () => rerender(0),
  };
  const [virtualizer] = useState(() => new Virtualizer(options));
  virtualizer.setOptions(options);
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });

  const template = columns.map((c) => c.width).join(' ');
  const items = virtualizer.getVirtualItems();
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
      <div
        class="vtable__body"
        role="rowgroup"
        ref={setScrollEl}
        tabIndex={0}
        aria-label={label}
        style={{ height: props.height ?? 'min(70vh, 42rem)' }}
      >
        <div class="vtable__space" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((item) => (
            // Keyed by slot (index modulo the rows drawn), not by row: a jump then rewrites the text of the rows
            // already in the DOM instead of unmounting and rebuilding every one of them.
            <div
              key={item.index % items.length}
              class={`vtable__row${item.index % 2 ? ' vtable__row--odd' : ''}`}
              role="row"
              aria-rowindex={item.index + 2}
              style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
            >
              {columns.map((c) => (
                <div key={c.key} class="vtable__cell" role="cell" title={title?.(item.index, c.key)}>
                  {cell(item.index, c.key)}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
