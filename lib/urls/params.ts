import type { Who } from '../indicators/human';
import type { RouteParams } from '../routes';
import {
  LINK_GROUPINGS,
  LINK_SORT_KEYS,
  TIME_WINDOWS,
  type LinkGrouping,
  type LinkSortKey,
  type TimeWindow,
} from './link-table';

/**
 * The filters of the "URLs and click streams" tab as they live in the hash (`#/deliveries/4/urls?by=label&window=6h`),
 * validated: anything unknown falls back to the default, so a hand-edited or stale link still opens a view.
 */
export interface UrlsQuery {
  /** Every click, or only those that count as a person's. */
  who: Who;
  by: LinkGrouping;
  window: TimeWindow;
  /** Custom window bounds as wall times "YYYY-MM-DDTHH:mm" in the view's time zone. */
  from: string | undefined;
  to: string | undefined;
  sort: LinkSortKey;
  desc: boolean;
  /** Row keys (first tracked-URL id of a row) drawn on the chart. */
  sel: number[];
  /** Chart x axis: hours since the send instead of calendar time. */
  sinceSend: boolean;
  /** Click streams: recipient search and page (1-based). */
  q: string;
  page: number;
}

const WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export function parseUrlsQuery(params: RouteParams): UrlsQuery {
  const by = (LINK_GROUPINGS as readonly string[]).includes(params.by ?? '') ? (params.by as LinkGrouping) : 'link';
  const window = (TIME_WINDOWS as readonly string[]).includes(params.window ?? '') ? (params.window as TimeWindow) : 'all';
  const sort = (LINK_SORT_KEYS as readonly string[]).includes(params.sort ?? '') ? (params.sort as LinkSortKey) : 'order';
  const sel = (params.sel ?? '')
    .split(',')
    .filter((s) => /^\d{1,10}$/.test(s))
    .map(Number)
    .slice(0, 8);
  const page = /^\d{1,6}$/.test(params.page ?? '') ? Math.max(1, Number(params.page)) : 1;
  return {
    who: params.who === 'human' ? 'human' : 'all',
    by,
    window,
    from: WALL.test(params.from ?? '') ? params.from : undefined,
    to: WALL.test(params.to ?? '') ? params.to : undefined,
    sort,
    // Numbers read best most-first; text columns A→Z; the email order top-down.
    desc: params.dir ? params.dir === 'desc' : sort === 'clicks' || sort === 'share' || sort === 'clickers',
    sel: [...new Set(sel)],
    sinceSend: params.axis === 'since',
    q: (params.q ?? '').slice(0, 200),
    page,
  };
}
