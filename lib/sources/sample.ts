import { z } from 'zod';
import { EventType, type EventTypeCode } from '../event-types';
import { buildSampleEmail, buildServiceNoticeHtml, type SampleEmailContent, type SampleLink } from './sample-email';
import {
  SourceError,
  type DeliveryInput,
  type EventInput,
  type FetchContext,
  type Page,
  type SourceAdapter,
  type TrackedUrlInput,
} from './source';

/**
 * The built-in sample data source: a new user turns it on and sees a working product (product.md, "Sources").
 *
 * It makes its data up, with no network and no browser API: a seeded PRNG turns the `anchor` (when the user turned
 * sample data on) into a fixed set of deliveries, tracked URLs and one time-ordered event stream. Everything sent
 * before the anchor has its early events in the past; later events sit in the future and "arrive" as the clock
 * passes them, so the hourly workflow keeps finding new opens and clicks for days, like a real source.
 *
 * The data exercises every indicator and classification rule (Adobe Campaign definitions,
 * ../shared/reference/adobe-tracking.md §1.2): opens (type 2) with repeat opens inside and outside the 1-minute
 * `dedupOpenPeriodMin`, email clicks (type 1), opt-outs (type 3), mirror pages (type 6), text-only messages (`@text`,
 * which extrapolate opens), forwarded mails (`personClick` > `recipientClick`), Apple Mail Privacy Protection proxy
 * opens, and a link scanner clicking every link within a second.
 */

/** Upper bound of events per page. */
export const SAMPLE_PAGE_SIZE = 20_000;

export const sampleConfigSchema = z.object({
  /** Epoch ms when the user turned sample data on: every sample delivery is sent before it. */
  anchor: z.number().int().min(Date.UTC(2000, 0, 1)).max(Date.UTC(2200, 0, 1)),
});
export type SampleConfig = z.infer<typeof sampleConfigSchema>;

export interface SampleStream {
  deliveries: DeliveryInput[];
  urls: TrackedUrlInput[];
  /** Every event of every delivery, past and future, sorted by time then id. */
  events: EventInput[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Nobody reacts to a sample mail later than this after it arrived: the long tail ends here. */
const MAX_AGE = 10 * DAY;
/** Sample recipients live in Sweden; a fixed UTC+1 is close enough for the day/night rhythm of the data. */
const LOCAL_OFFSET = HOUR;

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness. Math.random is never used: the same anchor must give the same records on every run and every
// machine, or re-fetching a page would produce different events under the same ids.

type Rng = () => number;

/** mulberry32: tiny, fast, and good enough for synthetic data (not for anything secret). */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes numbers (non-negative integers up to 2^53) into a 32-bit seed. Not variadic: it runs per recipient. */
function mix(a: number, b = 0, c = 0, d = 0): number {
  let h = 0x811c9dc5;
  h = mixWord(h, a % 4294967296);
  h = mixWord(h, Math.floor(a / 4294967296));
  h = mixWord(h, b);
  h = mixWord(h, c);
  h = mixWord(h, d);
  return h >>> 0;
}

function mixWord(h: number, word: number): number {
  h = Math.imul(h ^ (word >>> 0), 0x01000193);
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  return h ^ (h >>> 15);
}

function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng() * (hi - lo);
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Cumulative weights, built once per table so drawing does not re-add them. */
type Table = Float64Array;

function table(weights: readonly number[]): Table {
  const t = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (t[i] = sum += w));
  return t;
}

/** Index drawn with probability proportional to its weight. */
function draw(rng: Rng, t: Table): number {
  const x = rng() * t[t.length - 1]!;
  for (let i = 0; i < t.length; i++) if (x < t[i]!) return i;
  return t.length - 1;
}

function normal(rng: Rng): number {
  // Box–Muller; 1 - rng() keeps log() away from 0.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * A log-normal delay: reaction times to email are heavily right-skewed (most within hours, a tail over days),
 * which a log-normal with the median as parameter describes well.
 */
function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

// ---------------------------------------------------------------------------------------------------------------
// User agents. Opens come from the mail client (or its image proxy); clicks from the browser the link opens in.

const UA = {
  iphoneMail17:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  iphoneMail18:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  ipadMail: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  /** Apple Mail on macOS, and also the UA of Apple's Mail Privacy Protection proxy. */
  macMail: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  iphoneSafari17:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  iphoneSafari18:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  ipadSafari:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  macChrome:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  /** Gmail fetches images through its proxy, with this fixed UA, whatever device the reader uses. */
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  androidChromePixel:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  androidWebView:
    'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36',
  winChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  winEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  winFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  linuxFirefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  outlook16: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
  outlookLegacy:
    'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Microsoft Outlook 16.0.5422; ms-office; MSOffice 16)',
  windowsMail:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045',
  outlookIos: 'Outlook-iOS/723.4124553.prod.iphone (4.2447.0)',
  thunderbird: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0',
} as const;

/** Link scanners of secure email gateways: they fetch every link (and sometimes the pixel) right after delivery. */
const SCANNER_UA = {
  /** Many gateways pose as an old IE 11 on Windows 7. */
  legacyIe: 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/119.0.6045.105 Safari/537.36',
} as const;

interface Device {
  /** UA of the pixel fetch (mail client or its image proxy). */
  open: string;
  /** UA of the browser that opens links. */
  click: string;
  /** Outlook-like clients load the pixel again when the message is previewed and then opened: repeat opens. */
  previewPane?: boolean;
}

const DEVICES = {
  iphoneMail: { open: UA.iphoneMail17, click: UA.iphoneSafari17 },
  iphoneMail18: { open: UA.iphoneMail18, click: UA.iphoneSafari18 },
  ipadMail: { open: UA.ipadMail, click: UA.ipadSafari },
  macMail: { open: UA.macMail, click: UA.macSafari },
  gmailAndroid: { open: UA.gmailProxy, click: UA.androidChromePixel },
  gmailSamsung: { open: UA.gmailProxy, click: UA.samsung },
  gmailIos: { open: UA.gmailProxy, click: UA.iphoneChrome },
  gmailWeb: { open: UA.gmailProxy, click: UA.winChrome },
  gmailMac: { open: UA.gmailProxy, click: UA.macChrome },
  outlookDesktop: { open: UA.outlook16, click: UA.winEdge, previewPane: true },
  outlookLegacy: { open: UA.outlookLegacy, click: UA.winChrome, previewPane: true },
  outlookWeb: { open: UA.winEdge, click: UA.winEdge },
  windowsMail: { open: UA.windowsMail, click: UA.winEdge, previewPane: true },
  outlookIos: { open: UA.outlookIos, click: UA.iphoneSafari18 },
  outlookAndroid: { open: UA.androidWebView, click: UA.samsung },
  yahooWeb: { open: UA.yahooProxy, click: UA.winFirefox },
  thunderbird: { open: UA.thunderbird, click: UA.winFirefox, previewPane: true },
  linuxWebmail: { open: UA.linuxFirefox, click: UA.linuxFirefox },
  androidWebmail: { open: UA.androidChrome, click: UA.androidChrome },
  macWebmail: { open: UA.macChrome, click: UA.macChrome },
} satisfies Record<string, Device>;
type DeviceName = keyof typeof DEVICES;

// ---------------------------------------------------------------------------------------------------------------
// Recipients.

const FIRST_NAMES = [
  'anna', 'erik', 'maria', 'lars', 'karin', 'johan', 'sara', 'anders', 'emma', 'per', 'elin', 'karl', 'linnea',
  'mikael', 'ida', 'fredrik', 'sofia', 'magnus', 'hanna', 'jonas', 'maja', 'daniel', 'elsa', 'oskar', 'frida',
  'gustav', 'klara', 'viktor', 'ebba', 'henrik', 'alice', 'nils', 'julia', 'axel', 'lina', 'olof', 'wilma', 'jakob',
  'astrid', 'david', 'ingrid', 'peter', 'malin', 'thomas', 'helena', 'mats', 'camilla', 'stefan', 'jenny', 'martin',
  'louise', 'andreas', 'therese', 'patrik', 'amanda', 'simon', 'josefin', 'filip', 'agnes', 'hugo', 'saga', 'leo',
  'emily', 'james', 'olivia', 'liam', 'charlotte', 'noah', 'grace', 'oliver', 'sophie', 'william', 'lucy', 'jack',
  'ahmed', 'fatima', 'ali', 'leila', 'mohammed', 'yasmin', 'ana', 'luis', 'marta', 'pablo', 'katarzyna', 'piotr',
];
const LAST_NAMES = [
  'andersson', 'johansson', 'karlsson', 'nilsson', 'eriksson', 'larsson', 'olsson', 'persson', 'svensson',
  'gustafsson', 'pettersson', 'jonsson', 'jansson', 'hansson', 'bengtsson', 'lindberg', 'jakobsson', 'magnusson',
  'lindstrom', 'olofsson', 'lindqvist', 'lindgren', 'berg', 'axelsson', 'bergstrom', 'lundberg', 'lind', 'lundgren',
  'lundqvist', 'mattsson', 'berglund', 'fredriksson', 'sandberg', 'henriksson', 'forsberg', 'sjoberg', 'wallin',
  'engstrom', 'danielsson', 'hakansson', 'eklund', 'lundin', 'gunnarsson', 'holm', 'bergman', 'samuelsson',
  'fransson', 'wikstrom', 'isaksson', 'nystrom', 'holmberg', 'arvidsson', 'lofgren', 'soderberg', 'nyberg',
  'blomqvist', 'claesson', 'nordstrom', 'hedlund', 'ekstrom', 'smith', 'jones', 'brown', 'taylor', 'wilson',
  'evans', 'walker', 'hughes', 'hassan', 'ali', 'garcia', 'kowalski', 'nowak', 'virtanen', 'hansen', 'nielsen',
];

/** Gateways of corporate domains: none, one that scans every link, one the provider flags as a machine. */
type Gateway = 'none' | 'scanner' | 'flagged';

interface DomainSpec {
  domain: string;
  /** Share of the list, in percent. */
  weight: number;
  devices: Partial<Record<DeviceName, number>>;
  corporate?: boolean;
  gateway?: Gateway;
}

const OUTLOOK_CONSUMER: Partial<Record<DeviceName, number>> = {
  outlookWeb: 3,
  windowsMail: 2,
  outlookDesktop: 2,
  outlookIos: 2,
  outlookAndroid: 2,
  iphoneMail: 1,
};
const CORPORATE: Partial<Record<DeviceName, number>> = { outlookDesktop: 7, outlookLegacy: 2, outlookIos: 1 };

const DOMAINS: DomainSpec[] = [
  {
    domain: 'gmail.com',
    weight: 30,
    devices: { gmailAndroid: 4, gmailSamsung: 2, gmailIos: 2, gmailWeb: 3, gmailMac: 1, iphoneMail: 1 },
  },
  // iCloud: Apple Mail users; most have Mail Privacy Protection on (`mpp` below), ~15 % of the list.
  { domain: 'icloud.com', weight: 14, devices: { iphoneMail: 4, iphoneMail18: 4, ipadMail: 1, macMail: 2 } },
  { domain: 'me.com', weight: 2, devices: { iphoneMail: 2, macMail: 1 } },
  { domain: 'hotmail.com', weight: 10, devices: OUTLOOK_CONSUMER },
  { domain: 'outlook.com', weight: 8, devices: OUTLOOK_CONSUMER },
  { domain: 'live.se', weight: 6, devices: OUTLOOK_CONSUMER },
  {
    domain: 'telia.com',
    weight: 9,
    devices: { thunderbird: 2, iphoneMail: 2, androidWebmail: 2, macMail: 1, windowsMail: 1, linuxWebmail: 1 },
  },
  { domain: 'yahoo.com', weight: 3, devices: { yahooWeb: 3, iphoneMail: 1 } },
  { domain: 'bredband.net', weight: 1, devices: { thunderbird: 1, macWebmail: 1, androidWebmail: 1 } },
  { domain: 'acme.example', weight: 6, devices: CORPORATE, corporate: true },
  { domain: 'contoso.example', weight: 4, devices: CORPORATE, corporate: true },
  { domain: 'northwind.example', weight: 6.55, devices: CORPORATE, corporate: true },
  // Two companies behind secure email gateways. Kept small: each of their messages costs one event per link.
  { domain: 'nordbank.example', weight: 0.3, devices: CORPORATE, corporate: true, gateway: 'scanner' },
  { domain: 'fabrikam.example', weight: 0.15, devices: CORPORATE, corporate: true, gateway: 'flagged' },
];
const DOMAIN_TABLE = table(DOMAINS.map((d) => d.weight));
const DOMAIN_DEVICES = DOMAINS.map((d) => {
  const names = Object.keys(d.devices) as DeviceName[];
  return { devices: names.map((n) => DEVICES[n] as Device), table: table(names.map((n) => d.devices[n]!)) };
});
const ALL_DEVICES = Object.values(DEVICES) as Device[];
/** Engagement tiers (dormant, low, medium, high): the chance of reading a mail at all, and their shares in %. */
const ENGAGEMENT = [0.03, 0.2, 0.5, 0.85];
const ENGAGEMENT_TABLE = table([20, 33, 31, 16]);
/** Chance of clicking once a mail is read, and the shares. */
const CLICKINESS = [0.08, 0.22, 0.45];
const CLICKINESS_TABLE = table([50, 35, 15]);

/** Size of the list: large enough that ≥ 5 000 distinct recipients show up with at least one event. */
const RECIPIENTS = 9_000;

interface Recipient {
  email: string;
  devices: Device[];
  /** Browser ids (`@source-id`), one per device. */
  persons: string[];
  /** Probability of reading a mail at all. */
  engagement: number;
  /** Probability of clicking once a mail is read. */
  clickiness: number;
  /** Apple Mail Privacy Protection: the proxy fetches the pixel on arrival, whether the mail is read or not. */
  mpp: boolean;
  /** Images off: clicks with no open (a click still counts as an open, Adobe `recipientOpen`). */
  imagesBlocked: boolean;
  gateway: Gateway;
}

function personId(seed: number, r: number, k: number): string {
  return mix(seed, r, k, 0x9e37).toString(16).padStart(8, '0') + mix(seed, k, r, 0x79b9).toString(16).padStart(8, '0');
}

function makeRecipients(seed: number): Recipient[] {
  const rng = mulberry32(mix(seed, 1));
  const taken = new Set<string>();
  const out: Recipient[] = [];
  while (out.length < RECIPIENTS) {
    const d = draw(rng, DOMAIN_TABLE);
    const spec = DOMAINS[d]!;
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    // People whose first.last is taken pick a variant, as on real lists.
    let email = `${first}.${last}@${spec.domain}`;
    if (taken.has(email)) {
      const local = spec.corporate
        ? `${first}.${last.slice(0, 1)}.${last}`
        : chance(rng, 0.5)
          ? `${first}.${last}${Math.floor(between(rng, 1, 99))}`
          : `${first}${last}${Math.floor(between(rng, 60, 100))}`;
      email = `${local}@${spec.domain}`;
      if (taken.has(email)) continue;
    }
    taken.add(email);

    const options = DOMAIN_DEVICES[d]!;
    const devices = [options.devices[draw(rng, options.table)]!];
    // A quarter read on a second device too (phone and desktop), which is also a second person for Adobe.
    if (chance(rng, 0.25)) {
      const second = options.devices[draw(rng, options.table)]!;
      if (second !== devices[0]) devices.push(second);
    }
    const mpp = (spec.domain === 'icloud.com' || spec.domain === 'me.com') && chance(rng, 0.94);
    const r = out.length;
    out.push({
      email,
      devices,
      persons: devices.map((_, k) => personId(seed, r, k)),
      engagement: ENGAGEMENT[draw(rng, ENGAGEMENT_TABLE)]!,
      clickiness: CLICKINESS[draw(rng, CLICKINESS_TABLE)]!,
      mpp,
      imagesBlocked: !mpp && chance(rng, 0.06),
      gateway: spec.gateway ?? 'none',
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Deliveries.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const MONTHS_SV = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober',
  'november', 'december'];

interface DeliveryPlan {
  label: string;
  subject: string;
  sentAt: number;
  tracked: boolean;
  /** Messages to deliver, or the share of the list targeted. */
  target: { count: number } | { share: number };
  textOnly: number;
  /** Multipliers on read and click propensity: an offer draws more clicks than a newsletter. */
  read: number;
  click: number;
  content?: SampleEmailContent;
  notice?: string;
  /** Minutes the send takes from the first to the last message. */
  sendMinutes: number;
}

/** 07:00 UTC (08:00 or 09:00 in Stockholm) on the day `days` before the anchor: when newsletters usually go out. */
function morningBefore(anchor: number, days: number, hourUtc = 7): number {
  const day = Math.floor((anchor - days * DAY) / DAY) * DAY;
  return day + hourUtc * HOUR;
}

function newsletterContent(month: string, campaign: string, variant: 0 | 1): SampleEmailContent {
  const common = {
    campaign,
    title: `Nordhem – ${month} news`,
    heroButton: 'Shop the collection',
    banner: {
      text: 'Free delivery on orders over 499 kr – and 100 days open purchase',
      path: '/customer-service/delivery',
    },
  };
  return variant === 0
    ? {
        ...common,
        preheader: `New in for ${month}: warm textiles, soft light and a kitchen tidy-up.`,
        heroTitle: 'Soft textiles for slow evenings',
        heroText:
          'Wool throws, linen cushions and rugs in calm colours. Our new textile collection is made to be used every ' +
          'day – and to last for years.',
        heroPath: '/collections/textiles',
        heroImageText: 'Textile collection',
        heroColor: '#7d6b5d',
        productsTitle: 'Editor’s picks',
        products: [
          { name: 'Ullpläd Fjäll', price: '799 kr', path: '/p/ullplad-fjall-130x170', color: '#8c6d5a' },
          { name: 'Linnekudde Sommarro', price: '349 kr', path: '/p/linnekudde-sommarro-50x50', color: '#a7b0a0' },
          { name: 'Bordslampa Glöd', price: '1 295 kr', path: '/p/bordslampa-glod', color: '#c9a26b' },
        ],
        articles: [
          {
            title: 'Five ways to make a small living room feel bigger',
            text: 'Light, mirrors and fewer, larger pieces: our stylist shows how.',
            path: '/inspiration/small-living-room',
          },
          {
            title: 'How to wash a wool throw',
            text: 'Air it more, wash it less – and never tumble dry.',
            path: '/guides/wool-care',
          },
        ],
      }
    : {
        ...common,
        preheader: `${month} at Nordhem: a new dining series and a cosier home office.`,
        heroTitle: 'Meet the Ekbacken dining series',
        heroText:
          'Solid oak, oiled by hand in Småland. A table that seats eight and chairs you will want to stay in after ' +
          'dinner.',
        heroPath: '/collections/ekbacken',
        heroImageText: 'Ekbacken dining',
        heroColor: '#6b5a45',
        productsTitle: 'New this month',
        products: [
          { name: 'Matbord Ekbacken', price: '9 995 kr', path: '/p/matbord-ekbacken-220', color: '#7a6248' },
          { name: 'Stol Ekbacken', price: '1 695 kr', path: '/p/stol-ekbacken', color: '#9a8266' },
          { name: 'Skrivbordslampa Flit', price: '895 kr', path: '/p/skrivbordslampa-flit', color: '#5f6f73' },
        ],
        articles: [
          {
            title: 'A home office that disappears after five',
            text: 'Desks, storage and light for working from home without living at work.',
            path: '/inspiration/home-office',
          },
          {
            title: 'Caring for an oiled oak table',
            text: 'Soap, oil and patience: keep the wood beautiful for decades.',
            path: '/guides/oak-care',
          },
        ],
      };
}

function offerContent(campaign: string): SampleEmailContent {
  return {
    campaign,
    title: 'Members’ week at Nordhem',
    preheader: 'Medlemsvecka: 20 % off everything for the home, this week only.',
    heroTitle: 'Members’ week: 20 % off everything',
    heroText:
      'As a member you get 20 % off the whole range until Sunday. Use your member number at checkout, online or in ' +
      'store.',
    heroButton: 'Shop with 20 % off',
    heroPath: '/member-week',
    heroImageText: 'Members’ week −20 %',
    heroColor: '#2f5d50',
    productsTitle: 'Member favourites',
    products: [
      { name: 'Soffa Vila 3-sits', price: '11 996 kr', was: '14 995 kr', path: '/p/soffa-vila-3', color: '#6f7f86' },
      {
        name: 'Matta Strand 200x300',
        price: '2 396 kr',
        was: '2 995 kr',
        path: '/p/matta-strand-200x300',
        color: '#b7a98f',
      },
      {
        name: 'Gjutjärnsgryta Hem',
        price: '1 036 kr',
        was: '1 295 kr',
        path: '/p/gjutjarnsgryta-hem-4l',
        color: '#3e4a4f',
      },
    ],
    articles: [
      {
        title: 'Plan your living room in 3D',
        text: 'Try the sofa in your own room before you buy it.',
        path: '/planner',
      },
      { title: 'Member benefits', text: 'Free returns, longer guarantees and offers like this one.', path: '/member' },
    ],
    banner: { text: 'Order by Thursday for delivery before the weekend', path: '/customer-service/delivery' },
  };
}

function flashContent(campaign: string): SampleEmailContent {
  return {
    campaign,
    title: 'Flash sale – 48 hours',
    preheader: 'Up to 40 % off lighting and textiles. Ends in 48 hours.',
    heroTitle: '48 hours only: up to 40 % off',
    heroText:
      'Lamps, throws and rugs at their lowest price this year. The sale ends in 48 hours – or when stock runs out.',
    heroButton: 'See the flash sale',
    heroPath: '/flash-sale',
    heroImageText: 'Flash sale −40 %',
    heroColor: '#b3261e',
    productsTitle: 'Going fast',
    products: [
      { name: 'Golvlampa Kväll', price: '1 077 kr', was: '1 795 kr', path: '/p/golvlampa-kvall', color: '#a88d5a' },
      { name: 'Ullpläd Fjäll', price: '559 kr', was: '799 kr', path: '/p/ullplad-fjall-130x170', color: '#8c6d5a' },
      {
        name: 'Matta Strand 160x230',
        price: '1 197 kr',
        was: '1 995 kr',
        path: '/p/matta-strand-160x230',
        color: '#b7a98f',
      },
    ],
    articles: [
      {
        title: 'The right light for every room',
        text: 'Ceiling, wall or floor: a quick guide to layering light.',
        path: '/guides/lighting',
      },
      {
        title: 'Delivery and returns',
        text: 'Everything bought in the sale can be returned within 100 days.',
        path: '/customer-service/returns',
      },
    ],
    banner: { text: 'Free delivery on everything in the flash sale', path: '/customer-service/delivery' },
  };
}

/** Swedish subject lines of the two newsletter variants: what the recipients see in their inbox. */
const SUBJECT_THEMES = ['mjuka textilier för långa kvällar', 'möt matserien Ekbacken'] as const;

function planDeliveries(anchor: number): DeliveryPlan[] {
  const monthly = (days: number, variant: 0 | 1): DeliveryPlan => {
    const sentAt = morningBefore(anchor, days);
    const d = new Date(sentAt);
    const month = MONTHS[d.getUTCMonth()]!;
    const year = d.getUTCFullYear();
    const campaign = `newsletter-${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    return {
      label: `Sample: Newsletter ${month} ${year}`,
      subject: `Nytt hos Nordhem i ${MONTHS_SV[d.getUTCMonth()]!}: ${SUBJECT_THEMES[variant]}`,
      sentAt,
      tracked: true,
      target: { share: 0.97 },
      textOnly: 0,
      read: 1,
      click: variant === 0 ? 1 : 0.95,
      content: newsletterContent(month, campaign, variant),
      sendMinutes: 25,
    };
  };
  const offerSent = morningBefore(anchor, 3, 6);
  const flashSent = Math.floor((anchor - 2 * HOUR) / MINUTE) * MINUTE;
  return [
    monthly(36, 1),
    monthly(8, 0),
    {
      label: 'Sample: Service notice – planned maintenance',
      subject: 'My pages are closed for maintenance on Sunday night',
      sentAt: morningBefore(anchor, 5, 13),
      // Tracking was not activated for this delivery: it has no tracked URLs and no events at all.
      tracked: false,
      target: { share: 0.99 },
      textOnly: 0,
      read: 0,
      click: 0,
      notice:
        'On Sunday between 23:00 and 03:00 My pages and the member app are closed for planned maintenance. Orders ' +
        'placed before then are not affected.',
      sendMinutes: 30,
    },
    {
      label: 'Sample: Members’ week – 20 % off',
      subject: 'Medlemsvecka! 20 % off everything for the home',
      sentAt: offerSent,
      tracked: true,
      // A segment of the list; 600 of its members asked for text-only email (`@text`): no pixel, no opens seen.
      target: { count: 5_200 },
      textOnly: 600,
      read: 1.05,
      click: 1.35,
      content: offerContent(`member-week-${new Date(offerSent).getUTCFullYear()}`),
      sendMinutes: 20,
    },
    {
      label: 'Sample: Flash sale – 48 hours',
      subject: '48 hours only: up to 40 % off lighting and textiles',
      sentAt: flashSent,
      tracked: true,
      target: { share: 0.9 },
      textOnly: 0,
      read: 0.95,
      click: 1.2,
      content: flashContent(`flash-sale-${new Date(flashSent).toISOString().slice(0, 10)}`),
      sendMinutes: 15,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Events.

/** When a reader first looks at a mail: a mixture of "right away", "later today" and "in the coming days". */
const READ_DELAY_TABLE = table([45, 35, 20]);
function firstReadDelay(rng: Rng): number {
  const k = draw(rng, READ_DELAY_TABLE);
  if (k === 0) return lognormal(rng, 35 * MINUTE, 1);
  if (k === 1) return lognormal(rng, 6 * HOUR, 0.8);
  return lognormal(rng, 40 * HOUR, 0.8);
}

/** Few people read mail at night: a read that would fall between 00 and 06 local time mostly moves to the morning. */
function awake(rng: Rng, t: number): number {
  const hour = (((t + LOCAL_OFFSET) % DAY) + DAY) % DAY / HOUR;
  if (hour < 6 && chance(rng, 0.8)) return t + (6 - hour) * HOUR + between(rng, 0, 3 * HOUR);
  return t;
}

interface Built {
  delivery: DeliveryInput;
  urls: TrackedUrlInput[];
  events: EventInput[];
  /** Recipients who opted out, with when: later deliveries no longer target them. */
  optedOut: Map<number, number>;
}

function buildDelivery(
  plan: DeliveryPlan,
  index: number,
  num: number,
  seed: number,
  recipients: Recipient[],
  optedOut: ReadonlyMap<number, number>,
): Built {
  const rng = mulberry32(mix(seed, 100 + index));
  const extId = num.toString(16);

  // Targeting: everyone still subscribed when the delivery is sent, or a segment of them; send order is random.
  const eligible: number[] = [];
  for (let r = 0; r < recipients.length; r++) {
    const when = optedOut.get(r);
    if (when === undefined || when > plan.sentAt) eligible.push(r);
  }
  for (let i = eligible.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const swap = eligible[i]!;
    eligible[i] = eligible[j]!;
    eligible[j] = swap;
  }
  const toDeliver =
    'count' in plan.target
      ? Math.min(plan.target.count, eligible.length)
      : Math.round(eligible.length * plan.target.share);
  const targets = eligible.slice(0, toDeliver);
  // `@text`: these messages went out as text only, so no pixel.
  const textOnly = new Set(targets.slice(0, plan.textOnly));
  // ~1.4 % bounce (unknown users, full mailboxes): `@success` ends a bit below `@toDeliver`.
  const bounced = new Set(targets.filter(() => chance(rng, 0.014)));

  const email = plan.content
    ? buildSampleEmail({ deliveryHex: extId, firstUrlId: num + 5, content: plan.content })
    : undefined;
  // The sample knows its address list, so it tells the delivered messages per domain, the base of the per-domain
  // open and click-through rates (a real provider tells them when its API has them).
  const deliveredByDomain: Record<string, number> = {};
  for (const r of targets) {
    if (bounced.has(r)) continue;
    const email = recipients[r]!.email;
    const domain = email.slice(email.lastIndexOf('@') + 1);
    deliveredByDomain[domain] = (deliveredByDomain[domain] ?? 0) + 1;
  }
  const delivery: DeliveryInput = {
    extId,
    label: plan.label,
    subject: plan.subject,
    sentAt: plan.sentAt,
    trackingEnabled: plan.tracked,
    toDeliver,
    delivered: toDeliver - bounced.size,
    textOnly: plan.textOnly,
    deliveredByDomain,
    html: email?.html ?? buildServiceNoticeHtml(plan.subject, plan.notice ?? ''),
  };
  const out: Built = { delivery, urls: [], events: [], optedOut: new Map() };
  if (!plan.tracked || !email) return out;

  const links = email.links;
  out.urls = links.map((l) => ({
    deliveryExtId: extId,
    extId: l.extId,
    type: l.type,
    url: l.url,
    label: l.label,
    category: l.category,
    occurrence: l.occurrence,
  }));
  const clickLinks = links.filter((l) => l.type === EventType.click);
  const clickTable = table(clickLinks.map((l) => l.weight));
  const optOutLink = links.find((l) => l.type === EventType.optOut)!;
  const mirrorLink = links.find((l) => l.type === EventType.mirror)!;
  const cap = plan.sentAt + plan.sendMinutes * MINUTE + MAX_AGE;

  // Events are built with an empty id; ids are given once the delivery's events are in time order.
  const events = out.events;
  const add = (
    recipient: string,
    type: EventTypeCode,
    time: number,
    userAgent: string,
    link?: SampleLink,
    person?: string,
    flag?: 'machine' | 'proxy',
  ): void => {
    if (time > cap) return;
    const e: EventInput = { id: '', deliveryExtId: extId, recipient, type, time: Math.round(time), userAgent };
    if (link) e.urlExtId = link.extId;
    if (person) e.person = person;
    if (flag) e[flag] = true;
    events.push(e);
  };

  targets.forEach((r, position) => {
    if (bounced.has(r)) return;
    const rcp = recipients[r]!;
    const to = rcp.email;
    const text = textOnly.has(r);
    // Messages leave over the send window in list order, a few seconds apart in the MTA queues.
    const arrived =
      plan.sentAt + (position / targets.length) * plan.sendMinutes * MINUTE + between(rng, 0, 20 * SECOND);

    // A secure email gateway fetches every link within about a second, seconds after delivery, before any human
    // has seen the mail (Marketo's "proximity pattern", adobe-tracking.md §7). The opt-out and mirror links too,
    // which is how scanners inflate opt-outs. One gateway also loads the pixel; the other is flagged by the provider.
    if (rcp.gateway !== 'none') {
      let t = arrived + between(rng, 2 * SECOND, 40 * SECOND);
      const flagged = rcp.gateway === 'flagged';
      const ua = flagged ? SCANNER_UA.headless : SCANNER_UA.legacyIe;
      if (!flagged && !text) add(to, EventType.open, t, ua);
      for (const link of links) {
        t += between(rng, 10, 40);
        add(to, link.type, t, ua, link, undefined, flagged ? 'machine' : undefined);
      }
    }

    // Apple Mail Privacy Protection: Apple's proxy fetches the pixel when the mail reaches the device, read or not,
    // and sometimes once more later. Real reads by these recipients show no further opens (the image is cached).
    if (rcp.mpp && !text) {
      const proxyOpen = (t: number): void => add(to, EventType.open, t, UA.macMail, undefined, undefined, 'proxy');
      if (chance(rng, 0.97)) proxyOpen(arrived + Math.min(lognormal(rng, 50 * SECOND, 1), 25 * MINUTE));
      if (chance(rng, 0.25)) proxyOpen(arrived + lognormal(rng, 10 * HOUR, 0.9));
    }

    if (!chance(rng, Math.min(0.97, rcp.engagement * plan.read))) return;
    const first = awake(rng, arrived + firstReadDelay(rng));
    if (first > cap) return;
    // Sessions: the first read, and for some readers another look hours or days later.
    const sessions = [first];
    while (sessions.length < 5 && chance(rng, 0.42)) {
      const next = awake(rng, sessions[sessions.length - 1]! + lognormal(rng, 18 * HOUR, 1.1));
      if (next > cap) break;
      sessions.push(next);
    }
    const deviceOf = sessions.map(() => (rcp.devices.length > 1 && chance(rng, 0.35) ? 1 : 0));

    if (!text && !rcp.mpp && !rcp.imagesBlocked) {
      sessions.forEach((s, i) => {
        const device = rcp.devices[deviceOf[i]!]!;
        add(to, EventType.open, s, device.open);
        // Preview pane then open, or a client reloading images: a second pixel hit seconds later, which Adobe's
        // `dedupOpenPeriodMin` (1 minute) removes from total opens.
        if (chance(rng, device.previewPane ? 0.5 : 0.1)) {
          add(to, EventType.open, s + between(rng, 2 * SECOND, 45 * SECOND), device.open);
        }
      });
    }

    const click = (time: number, link: SampleLink, device: number): void =>
      add(to, link.type, time, rcp.devices[device]!.click, link, rcp.persons[device]!);

    // Text-only readers click less (bare URLs in plain text), but more often ask for the HTML: the mirror page.
    if (chance(rng, Math.min(0.95, rcp.clickiness * plan.click * (text ? 0.6 : 1)))) {
      sessions.forEach((s, i) => {
        if (i > 0 && !chance(rng, 0.4)) return;
        let t = s + lognormal(rng, 40 * SECOND, 0.9);
        const clicks = 1 + Math.min(4, Math.floor(-Math.log(1 - rng()) / 0.65));
        for (let c = 0; c < clicks; c++) {
          click(t, clickLinks[draw(rng, clickTable)]!, deviceOf[i]!);
          t += lognormal(rng, 70 * SECOND, 1);
        }
      });
      // Forwards: a friend or colleague clicks in their own browser, a new `@source-id`, so Adobe counts another
      // person for the same recipient (estimated forwards = `personClick` − `recipientClick`).
      if (chance(rng, 0.05)) {
        const friends = chance(rng, 0.3) ? 2 : 1;
        for (let f = 0; f < friends; f++) {
          const device = pick(rng, ALL_DEVICES);
          const person = personId(seed, r, 100 + index * 10 + f);
          let t = awake(rng, first + lognormal(rng, 8 * HOUR, 1.2));
          if (!text) add(to, EventType.open, t, device.open);
          const clicks = 1 + Math.floor(rng() * 3);
          for (let c = 0; c < clicks; c++) {
            t += lognormal(rng, 50 * SECOND, 0.9);
            add(to, EventType.click, t, device.click, clickLinks[draw(rng, clickTable)]!, person);
          }
        }
      }
    }

    if (chance(rng, text ? 0.035 : 0.012)) {
      click(first + between(rng, 3 * SECOND, 60 * SECOND), mirrorLink, deviceOf[0]!);
    }
    // Opt-outs come mostly from the least engaged readers: "why do I still get these?".
    if (chance(rng, rcp.engagement < 0.1 ? 0.15 : rcp.engagement < 0.3 ? 0.015 : 0.003)) {
      const t = first + between(rng, 20 * SECOND, 4 * MINUTE);
      click(t, optOutLink, deviceOf[0]!);
      if (t <= cap) out.optedOut.set(r, Math.round(t));
    }
  });

  // Ids follow time order within the delivery, so they read naturally in an export.
  events.sort((x, y) => x.time - y.time);
  for (let n = 0; n < events.length; n++) events[n]!.id = `sample:${extId}:${n}`;
  return out;
}

/** Builds the whole sample data set for `anchor`, uncached. Pure: same anchor, same records. */
export function generateSampleStream(anchor: number): SampleStream {
  const seed = mix(anchor, 0x5a3d);
  const recipients = makeRecipients(seed);
  // Delivery ids in the style of Adobe's `NmsDelivery` ids, with the URL ids of each delivery right after it. They
  // differ per anchor so turning sample data off and on again never mixes two data sets under one id.
  const base = 0x400000 + ((mix(seed, 7) % 0x3c0000) & ~0xff);
  const deliveries: DeliveryInput[] = [];
  const urls: TrackedUrlInput[] = [];
  const events: EventInput[] = [];
  const optedOut = new Map<number, number>();
  planDeliveries(anchor).forEach((plan, i) => {
    const built = buildDelivery(plan, i, base + i * 0x40, seed, recipients, optedOut);
    deliveries.push(built.delivery);
    urls.push(...built.urls);
    for (const e of built.events) events.push(e);
    for (const [r, t] of built.optedOut) if (!optedOut.has(r)) optedOut.set(r, t);
  });
  events.sort(compareEvents);
  return { deliveries, urls, events };
}

/** Stream order: time, then id. Total, so every run cuts the stream at the same places. */
function compareEvents(a: EventInput, b: EventInput): number {
  return a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Generated streams by anchor: paging must not regenerate. Two entries cover a changed anchor in one session. */
const cache = new Map<number, SampleStream>();
const CACHE_SIZE = 2;

export function sampleStream(anchor: number): SampleStream {
  let stream = cache.get(anchor);
  if (!stream) {
    stream = generateSampleStream(anchor);
    cache.set(anchor, stream);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return stream;
}

/** Index of the first event later than `now`: the events before it "exist yet". */
function availableUpTo(events: readonly EventInput[], now: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.time <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The cursor is the index of the next event of the stream. One that cannot be read restarts from the beginning:
 * the workflow dedupes by event id, so re-reading costs time but never counts anything twice.
 */
function parseCursor(cursor: string | null, length: number): number | null {
  if (cursor === null || !/^\d{1,9}$/.test(cursor)) return null;
  return Math.min(Number(cursor), length);
}

async function fetchPage(ctx: FetchContext): Promise<Page> {
  ctx.signal.throwIfAborted();
  const config = sampleConfigSchema.safeParse(ctx.config);
  if (!config.success) throw new SourceError('config-invalid', { kind: 'sample' });
  const stream = sampleStream(config.data.anchor);
  const now = ctx.now();
  const cursor = parseCursor(ctx.cursor, stream.events.length);
  // The first page (and a restart) also carries the deliveries and tracked URLs the events refer to.
  const first = cursor === null;
  const start = cursor ?? 0;
  const available = availableUpTo(stream.events, now);
  const end = Math.max(start, Math.min(available, start + SAMPLE_PAGE_SIZE));
  const records = {
    deliveries: first ? stream.deliveries.slice() : [],
    urls: first ? stream.urls.slice() : [],
    events: stream.events.slice(start, end),
  };
  return {
    records,
    rejected: [],
    rejectedCount: 0,
    nextCursor: String(end),
    done: end >= available,
    fetched: records.deliveries.length + records.urls.length + records.events.length,
  };
}

export const sampleSource: SourceAdapter = { kind: 'sample', fetchPage };
