/**
 * The tracking view's hash routes (extension pages cannot route by path). Deep links like
 * `options.html#/deliveries/42` open the right view, and back/forward move between views.
 */
export type Route =
  | { name: 'deliveries' }
  | { name: 'delivery'; id: number }
  | { name: 'sources' }
  | { name: 'source-new' }
  | { name: 'source-edit'; id: string }
  | { name: 'import' }
  | { name: 'workflow' }
  | { name: 'run'; id: number }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

/** The top-level section a route belongs to, for the navigation's "current page". */
export type Section = 'deliveries' | 'sources' | 'workflow' | 'settings';

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
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/');
  const [a, b, c] = parts;
  const notFound: Route = { name: 'not-found', path };
  if (parts.length === 0) return { name: 'deliveries' };
  switch (a) {
    case 'deliveries': {
      if (parts.length === 1) return { name: 'deliveries' };
      const id = b === undefined ? undefined : positiveInt(b);
      return parts.length === 2 && id !== undefined ? { name: 'delivery', id } : notFound;
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
      return '#/deliveries';
    case 'delivery':
      return `#/deliveries/${route.id}`;
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
