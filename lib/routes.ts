/**
 * The tracking view's hash routes (extension pages cannot route by path). Deep links like
 * `options.html#/deliveries/42` open the right view, and back/forward move between views.
 */
export type Route =
  | { name: 'deliveries'; params?: RouteParams | undefined }
  | { name: 'delivery'; id: number; tab?: DeliveryTab | undefined; params?: RouteParams | undefined }
  | { name: 'recipients'; params?: RouteParams | undefined }
  | { name: 'recipient'; id: number; params?: RouteParams | undefined }
  | { name: 'sources' }
  | { name: 'source-new' }
  | { name: 'source-edit'; id: string }
  | { name: 'import' }
  | { name: 'workflow' }
  | { name: 'run'; id: number }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

/** The tabs of a delivery (the reference's delivery Tracking tab and its reports). */
export const DELIVERY_TABS = ['stats', 'urls', 'hotclicks', 'logs'] as const;
export type DeliveryTab = (typeof DELIVERY_TABS)[number];

/**
 * A view's filters, kept in the hash after `?` (`#/deliveries/4/logs?type=click&from=…`) so a link or a reload
 * reopens the view as it was. Plain strings: each view parses and validates its own.
 */
export type RouteParams = Record<string, string>;

/** The top-level section a route belongs to, for the navigation's "current page". */
export type Section = 'deliveries' | 'recipients' | 'sources' | 'workflow' | 'settings';

function parseParams(query: string): RouteParams | undefined {
  if (!query) return undefined;
  const params: RouteParams = {};
  for (const [k, v] of new URLSearchParams(query)) if (k && v !== '') params[k] = v;
  return Object.keys(params).length ? params : undefined;
}

function query(params: RouteParams | undefined): string {
  if (!params) return '';
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** `route` with its params replaced by `params` merged over them (an empty string removes a param). */
export function withParams<R extends Route>(route: R, params: RouteParams): R {
  const merged: RouteParams = { ...('params' in route ? route.params : undefined) };
  for (const [k, v] of Object.entries(params)) {
    if (v === '') delete merged[k];
    else merged[k] = v;
  }
  return { ...route, params: Object.keys(merged).length ? merged : undefined };
}

function positiveInt(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const params = q >= 0 ? parseParams(raw.slice(q + 1)) : undefined;
  const path = (q >= 0 ? raw.slice(0, q) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/');
  const [a, b, c] = parts;
  const notFound: Route = { name: 'not-found', path };
  const p = params ? { params } : {};
  if (parts.length === 0) return { name: 'deliveries', ...p };
  switch (a) {
    case 'deliveries': {
      if (parts.length === 1) return { name: 'deliveries', ...p };
      const id = b === undefined ? undefined : positiveInt(b);
      if (id === undefined || parts.length > 3) return notFound;
      if (parts.length === 2) return { name: 'delivery', id, ...p };
      return (DELIVERY_TABS as readonly string[]).includes(c!)
        ? { name: 'delivery', id, tab: c as DeliveryTab, ...p }
        : notFound;
    }
    case 'recipients': {
      if (parts.length === 1) return { name: 'recipients', ...p };
      const id = b === undefined ? undefined : positiveInt(b);
      return parts.length === 2 && id !== undefined ? { name: 'recipient', id, ...p } : notFound;
    }
    case 'sources': {
      if (parts.length === 1) return { name: 'sources' };
      if (parts.length === 2 && b === 'new') return { name: 'source-new' };
      if (parts.length === 2 && b === 'import') return { name: 'import' };
      const id = b === undefined ? undefined : decode(b);
      return parts.length === 3 && c === 'edit' && id ? { name: 'source-edit', id } : notFound;
    }
    case 'workflow': {
      if (parts.length === 1) return { name: 'workflow' };
      const id = c === undefined ? undefined : positiveInt(c);
      return parts.length === 3 && b === 'runs' && id !== undefined ? { name: 'run', id } : notFound;
    }
    case 'settings':
      return parts.length === 1 ? { name: 'settings' } : notFound;
    default:
      return notFound;
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'deliveries':
      return `#/deliveries${query(route.params)}`;
    case 'delivery':
      return `#/deliveries/${route.id}${route.tab ? `/${route.tab}` : ''}${query(route.params)}`;
    case 'recipients':
      return `#/recipients${query(route.params)}`;
    case 'recipient':
      return `#/recipients/${route.id}${query(route.params)}`;
    case 'sources':
      return '#/sources';
    case 'source-new':
      return '#/sources/new';
    case 'import':
      return '#/sources/import';
    case 'source-edit':
      return `#/sources/${encodeURIComponent(route.id)}/edit`;
    case 'workflow':
      return '#/workflow';
    case 'run':
      return `#/workflow/runs/${route.id}`;
    case 'settings':
      return '#/settings';
    case 'not-found':
      return `#/${route.path}`;
  }
}

export function sectionOf(route: Route): Section | undefined {
  switch (route.name) {
    case 'deliveries':
    case 'delivery':
      return 'deliveries';
    case 'recipients':
    case 'recipient':
      return 'recipients';
    case 'sources':
    case 'source-new':
    case 'source-edit':
    case 'import':
      return 'sources';
    case 'workflow':
    case 'run':
      return 'workflow';
    case 'settings':
      return 'settings';
    case 'not-found':
      return undefined;
  }
}
