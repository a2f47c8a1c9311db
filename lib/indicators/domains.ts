/**
 * Open and click-through rate per recipient domain (Adobe Campaign's Tracking indicators, "Open and click-through
 * rate" section; ../shared/reference/adobe-tracking.md §1.2, report layout item 3): per Internet domain, the messages
 * sent, opens (distinct recipients: a click implies an open, as `@recipientOpen`), clicks (distinct recipients with
 * an email click, as `@recipientClick`) and raw reactivity. The rates use the messages delivered **on that domain**
 * as their base. Domains come from an itemised list of the big mail domains; "domains that match no value go under
 * Others".
 *
 * Computed at view time from the aggregate's distinct-recipient state (rcpIds/rcpTypes) and the recipients
 * dictionary, never from raw events. Delivered per domain is known only when the source tells it
 * (DeliveryRow.deliveredByDomain); without it the view shows each domain's share of openers and clickers instead.
 */

/** A named group of mail domains: a provider's domains, their country variants included. */
export interface DomainGroup {
  /** Shown as is: brand names are not translated. */
  name: string;
  /** Exact domains. */
  domains: readonly string[];
  /** First labels matched with any suffix (`hotmail` matches hotmail.com, hotmail.se, hotmail.co.uk). */
  prefixes?: readonly string[];
}

/** The big mailbox providers (by share of consumer addresses in Europe and North America), Swedish ones included. */
export const DOMAIN_GROUPS: readonly DomainGroup[] = [
  { name: 'Gmail', domains: ['gmail.com', 'googlemail.com'] },
  { name: 'Outlook.com', domains: ['msn.com', 'passport.com'], prefixes: ['hotmail', 'outlook', 'live'] },
  { name: 'Yahoo', domains: ['ymail.com', 'rocketmail.com'], prefixes: ['yahoo'] },
  { name: 'iCloud', domains: ['icloud.com', 'me.com', 'mac.com'] },
  { name: 'AOL', domains: ['aim.com'], prefixes: ['aol'] },
  { name: 'GMX', domains: ['gmx.com', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch'] },
  { name: 'Web.de', domains: ['web.de'] },
  { name: 'Proton', domains: ['proton.me', 'protonmail.com', 'pm.me'] },
  { name: 'Orange', domains: ['orange.fr', 'wanadoo.fr'] },
  { name: 'Comcast', domains: ['comcast.net'] },
  { name: 'Telia', domains: ['telia.com', 'telia.se'] },
  { name: 'Bredband2 / Bahnhof', domains: ['bredband.net', 'bahnhof.se'] },
  { name: 'Yandex', domains: ['yandex.ru', 'yandex.com', 'ya.ru'] },
  { name: 'Mail.ru', domains: ['mail.ru', 'bk.ru', 'inbox.ru', 'list.ru'] },
];

/** Group index used for "Others". */
export const OTHERS = -1;

const exact = new Map<string, number>();
DOMAIN_GROUPS.forEach((g, i) => {
  for (const d of g.domains) exact.set(d, i);
});

/** The domain of a recipient key (an address), lower case; undefined for provider ids that are not addresses. */
export function domainOf(recipient: string): string | undefined {
  const at = recipient.lastIndexOf('@');
  if (at < 0 || at === recipient.length - 1) return undefined;
  return recipient.slice(at + 1).trim().toLowerCase();
}

/** The DOMAIN_GROUPS index of a domain, or OTHERS. */
export function domainGroupIndex(domain: string | undefined): number {
  if (!domain) return OTHERS;
  const d = domain.toLowerCase();
  const hit = exact.get(d);
  if (hit !== undefined) return hit;
  const label = d.slice(0, d.indexOf('.') >>> 0);
  if (label === d) return OTHERS;
  for (let i = 0; i < DOMAIN_GROUPS.length; i++) if (DOMAIN_GROUPS[i]!.prefixes?.includes(label)) return i;
  return OTHERS;
}

const groupOfDomain = new Map<string, number>();

/**
 * `domainGroupIndex(domainOf(recipient))`, remembered by the address's domain part as written: a store's recipients
 * share a few thousand domains at most, and the statistics tab groups every recipient of the store (300 000 took
 * ~60 ms of lower-casing and matching, one address at a time).
 */
export function recipientDomainGroup(recipient: string): number {
  const at = recipient.lastIndexOf('@');
  if (at < 0 || at === recipient.length - 1) return OTHERS;
  const written = recipient.slice(at + 1);
  let group = groupOfDomain.get(written);
  if (group === undefined) {
    group = domainGroupIndex(domainOf(recipient));
    if (groupOfDomain.size >= 50_000) groupOfDomain.clear(); // a store of one-off domains must not grow memory
    groupOfDomain.set(written, group);
  }
  return group;
}

export interface DomainRow {
  /** DOMAIN_GROUPS index, or OTHERS. */
  group: number;
  /** Messages delivered on the domain, when the source tells it. */
  delivered: number | undefined;
  /** Distinct recipients with any tracking log (a click implies an open). */
  openers: number;
  /** Distinct recipients with an email click. */
  clickers: number;
  /** openers / delivered, clickers / delivered (undefined without a delivered count). */
  openRate: number | undefined;
  clickRate: number | undefined;
  /** Raw reactivity on the domain: clickers / openers. */
  reactivity: number | undefined;
  /** Share of all openers / clickers of the delivery. */
  openerShare: number | undefined;
  clickerShare: number | undefined;
}

const CLICK_BIT = 1 << 1; // EventType.click = 1; rcpTypes keeps 1 << type

/**
 * Rows per named domain group with any delivered message or opener, by openers (then delivered) descending, and
 * "Others" last (when it has anything).
 *
 * @param groupOf the group index of a recipient id (see {@link domainGroupIndex}).
 */
export function domainBreakdown(
  rcpIds: ArrayLike<number>,
  rcpTypes: ArrayLike<number>,
  groupOf: (recipientId: number) => number,
  deliveredByDomain?: Readonly<Record<string, number>>,
): DomainRow[] {
  const slots = DOMAIN_GROUPS.length + 1; // last slot = Others
  const slot = (g: number): number => (g === OTHERS ? DOMAIN_GROUPS.length : g);
  const openers = new Array<number>(slots).fill(0);
  const clickers = new Array<number>(slots).fill(0);
  let allOpeners = 0;
  let allClickers = 0;
  for (let i = 0; i < rcpIds.length; i++) {
    const s = slot(groupOf(rcpIds[i]!));
    openers[s]!++;
    allOpeners++;
    if (rcpTypes[i]! & CLICK_BIT) {
      clickers[s]!++;
      allClickers++;
    }
  }
  let delivered: number[] | undefined;
  if (deliveredByDomain) {
    delivered = new Array<number>(slots).fill(0);
    for (const [domain, n] of Object.entries(deliveredByDomain)) delivered[slot(domainGroupIndex(domain))]! += n;
  }
  const rate = (n: number, d: number | undefined): number | undefined => (d !== undefined && d > 0 ? n / d : undefined);
  const rows: DomainRow[] = [];
  for (let s = 0; s < slots; s++) {
    const del = delivered?.[s];
    if (openers[s] === 0 && !del) continue;
    rows.push({
      group: s === DOMAIN_GROUPS.length ? OTHERS : s,
      delivered: del,
      openers: openers[s]!,
      clickers: clickers[s]!,
      openRate: rate(openers[s]!, del),
      clickRate: rate(clickers[s]!, del),
      reactivity: rate(clickers[s]!, openers[s]!),
      openerShare: rate(openers[s]!, allOpeners),
      clickerShare: rate(clickers[s]!, allClickers),
    });
  }
  return rows.sort(
    (a, b) =>
      Number(a.group === OTHERS) - Number(b.group === OTHERS) ||
      b.openers - a.openers ||
      (b.delivered ?? 0) - (a.delivered ?? 0) ||
      a.group - b.group,
  );
}
