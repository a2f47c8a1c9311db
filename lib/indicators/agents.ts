import UAParser from 'ua-parser-js';

/**
 * Device, operating system and browser / mail client breakdowns of opens and clicks (Adobe's "Breakdown of opens" by
 * OS, device and browser taken from the user agent, and the "Browsers" / "Operating systems" reports on clicks;
 * ../shared/reference/adobe-tracking.md §1.4). The aggregate keeps counts per user-agent id
 * (lib/workflow/aggregate.ts); names come from parsing each distinct agent once here, at view time, with ua-parser-js
 * 1.x (MIT; 2.x changed licence to AGPL, so it stays on 1.x), so a better parser never needs a re-ingest.
 *
 * A few mail-specific agents the parser does not know are recognised first: Gmail's image proxy (every Gmail web and
 * app open), Outlook for Windows (`ms-office`/`Microsoft Outlook`) and the bare `Mozilla/5.0` of Apple Mail Privacy
 * Protection's proxy fetches.
 */

/** The browser name given to the agent of Apple Mail Privacy Protection's proxy fetches. */
export const APPLE_PROXY = 'Apple Mail Privacy Protection';

export type DeviceKind = 'mobile' | 'tablet' | 'desktop' | 'proxy' | 'other' | 'unknown';
export type AgentDimension = 'device' | 'os' | 'browser';

export interface AgentInfo {
  device: DeviceKind;
  /** OS name ('' = unknown). */
  os: string;
  /** Browser or mail client name ('' = unknown). */
  browser: string;
}

const DESKTOP_OS = new Set(['Windows', 'Mac OS', 'macOS', 'Linux', 'Ubuntu', 'Debian', 'Fedora', 'Chromium OS', 'FreeBSD', 'OpenBSD']);

/** The versions the parser read, for the names it gave ('' where a name is ours, or unknown). */
export interface AgentVersions {
  os: string;
  browserMajor: string;
}

interface Parsed {
  info: AgentInfo;
  versions: AgentVersions;
}

const NO_VERSIONS: AgentVersions = { os: '', browserMajor: '' };
const cache = new Map<string, Parsed>();

function parsed(ua: string): Parsed {
  let p = cache.get(ua);
  if (p) return p;
  p = classify(ua);
  if (cache.size > 50_000) cache.clear(); // a feed with a fresh agent per event must not grow memory without end
  cache.set(ua, p);
  return p;
}

/** Device kind, OS and browser of a user agent string (cached per string). */
export function parseAgent(ua: string): AgentInfo {
  return parsed(ua).info;
}

/**
 * The OS version and major browser version of a user agent, from the same (cached) parse as {@link parseAgent}: the
 * logs show them (lib/logs/user-agent.ts), the breakdowns do not.
 */
export function agentVersions(ua: string): AgentVersions {
  return parsed(ua).versions;
}

function classify(ua: string): Parsed {
  const s = ua.trim();
  if (s === '') return { info: { device: 'unknown', os: '', browser: '' }, versions: NO_VERSIONS };
  if (/GoogleImageProxy/i.test(s)) return { info: { device: 'proxy', os: '', browser: 'Gmail image proxy' }, versions: NO_VERSIONS };
  // Apple Mail Privacy Protection fetches the pixel with a bare "Mozilla/5.0" (no platform at all).
  if (/^Mozilla\/5\.0$/.test(s)) {
    return { info: { device: 'proxy', os: '', browser: APPLE_PROXY }, versions: NO_VERSIONS };
  }
  const r = new UAParser(s).getResult();
  let browser = r.browser.name ?? '';
  let os = r.os.name ?? '';
  const parsedBrowser = browser;
  const parsedOs = os;
  if (/Microsoft Outlook|ms-office|MSOffice/i.test(s)) {
    browser = 'Outlook';
    if (os === '') os = 'Windows';
  } else if (/Thunderbird\//.test(s)) browser = 'Thunderbird';
  else if (browser === 'WebKit' && /\b(iPhone|iPad|Macintosh)\b/.test(s) && !/Safari\//.test(s)) browser = 'Apple Mail';
  let device: DeviceKind;
  switch (r.device.type) {
    case 'mobile':
      device = 'mobile';
      break;
    case 'tablet':
      device = 'tablet';
      break;
    case undefined:
      device = DESKTOP_OS.has(os) ? 'desktop' : browser || os ? 'other' : 'unknown';
      break;
    default:
      device = 'other';
  }
  return {
    info: { device, os, browser },
    versions: {
      os: os !== '' && os === parsedOs ? (r.os.version ?? '') : '',
      browserMajor: browser !== '' && browser === parsedBrowser ? (r.browser.major ?? '') : '',
    },
  };
}

export interface AgentRow {
  /** Device kind, OS or browser name; '' = unknown. */
  name: string;
  opens: number;
  clicks: number;
  /** Share of all counted opens / clicks of the delivery. */
  openShare: number | undefined;
  clickShare: number | undefined;
}

/**
 * Opens and clicks by device kind, OS or browser: the per-agent counts of the aggregate (parallel arrays) summed
 * by the agent's parsed name. `agentKeys[id]` is the agent string of dictionary id `id` (0 or missing = none).
 * Rows by opens, then clicks, descending; unknown ('') last.
 */
export function agentBreakdown(
  agentIds: ArrayLike<number>,
  agentOpens: ArrayLike<number>,
  agentClicks: ArrayLike<number>,
  agentKeys: readonly (string | undefined)[],
  dimension: AgentDimension,
): AgentRow[] {
  const sums = new Map<string, [number, number]>();
  let opens = 0;
  let clicks = 0;
  for (let i = 0; i < agentIds.length; i++) {
    const key = agentKeys[agentIds[i]!];
    const info = key ? parseAgent(key) : undefined;
    const name = info ? info[dimension] : dimension === 'device' ? 'unknown' : '';
    let sum = sums.get(name);
    if (!sum) sums.set(name, (sum = [0, 0]));
    sum[0] += agentOpens[i]!;
    sum[1] += agentClicks[i]!;
    opens += agentOpens[i]!;
    clicks += agentClicks[i]!;
  }
  const unknown = (n: string): boolean => n === '' || n === 'unknown';
  return [...sums]
    .filter(([, [o, c]]) => o + c > 0)
    .map(([name, [o, c]]) => ({
      name,
      opens: o,
      clicks: c,
      openShare: opens > 0 ? o / opens : undefined,
      clickShare: clicks > 0 ? c / clicks : undefined,
    }))
    .sort(
      (a, b) =>
        Number(unknown(a.name)) - Number(unknown(b.name)) ||
        b.opens - a.opens ||
        b.clicks - a.clicks ||
        a.name.localeCompare(b.name),
    );
}
