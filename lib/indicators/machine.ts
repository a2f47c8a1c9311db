import type { EventColumns } from '../db/events';
import { EventFlag, isEmailLinkType } from '../event-types';
import { sortIndex } from '../logs/table';
import { APPLE_PROXY, parseAgent } from './agents';

/**
 * Machine or human, per event, with the reason: the "machine/bot classification" the reference shows in the recipient
 * tracking tab (../shared/product.md, reference behaviour 2), classified on read so the raw events stay as they
 * came and a better rule never needs a re-ingest (product.md, "Machine vs human, explainable and re-runnable").
 *
 * Reasons, first match wins:
 * - `machine`: the source says a machine made the event (Mailgun `client-info.bot`, SendGrid `sg_machine_open`, …);
 * - `privacy-proxy`: a privacy proxy fetched the pixel (Apple Mail Privacy Protection: the mail was delivered, not
 *   necessarily read), as the source says or as its agent shows (the bare `Mozilla/5.0` of Apple's proxy,
 *   lib/indicators/agents.ts);
 * - `image-proxy`: the agent is a mail provider's image proxy (Gmail's GoogleImageProxy), which fetches the image when
 *   the reader opens the mail: a person's open, whose device the proxy hides (and whose repeat opens it may answer
 *   from its cache). The one class besides `human` that {@link countsAsHuman};
 * - `burst`: a click in a run of the same recipient's clicks on at least `burstLinks` different links with no more than
 *   `burstGapS` between one and the next: link scanners open every link at once, people do not. A click here is any
 *   click on a link of the email: email clicks, opt-out and mirror-page links alike, since scanners follow those too
 *   and "inflate CTR and opt-out" (adobe-tracking.md §7); the pixel (opens) and site pages (web) are no links of
 *   the email. Both are settings
 *   (lib/settings.ts; by default BURST_LINKS and BURST_GAP_S), and the classes are computed on read, so changing one
 *   reclassifies the whole history at once.
 */
export const MachineClass = { human: 0, machine: 1, privacyProxy: 2, imageProxy: 3, burst: 4 } as const;
export type MachineClassCode = (typeof MachineClass)[keyof typeof MachineClass];
export const MACHINE_CLASS_NAMES = ['human', 'machine', 'privacy-proxy', 'image-proxy', 'burst'] as const;

/** Most seconds between two clicks of a burst (times are whole seconds: same or next second), by default. */
export const BURST_GAP_S = 1;
/** Fewest different links a burst clicks, by default. */
export const BURST_LINKS = 3;

/** The thresholds of the rules that are settings. */
export interface MachineRules {
  burstGapS: number;
  burstLinks: number;
}
export const DEFAULT_MACHINE_RULES: Readonly<MachineRules> = { burstGapS: BURST_GAP_S, burstLinks: BURST_LINKS };

/**
 * Whether events of this class count in the human-only indicators (lib/indicators/human.ts): people, and people's opens
 * through a provider's image proxy.
 */
export function countsAsHuman(code: number): boolean {
  return code === MachineClass.human || code === MachineClass.imageProxy;
}

/** What an agent says of its events: 1 an image proxy, 2 nothing, 3 a privacy proxy (0: not asked yet). */
function agentKind(s: string | undefined): number {
  if (s === undefined) return 2;
  const info = parseAgent(s);
  if (info.device !== 'proxy') return 2;
  return info.browser === APPLE_PROXY ? 3 : 1;
}

/** Each event's MachineClassCode. `agent(id)` is the user agent of dictionary id `id`. */
export function classifyEvents(
  cols: EventColumns,
  agent: (id: number) => string | undefined,
  rules: MachineRules = DEFAULT_MACHINE_RULES,
): Uint8Array {
  const n = cols.n;
  const out = new Uint8Array(n);
  // Per agent id (small dense dictionary ids): agentKind, 0 = not yet asked.
  let maxUa = 0;
  for (let i = 0; i < n; i++) if (cols.ua[i]! > maxUa) maxUa = cols.ua[i]!;
  const proxyAgent = new Uint8Array(maxUa + 1);
  for (let i = 0; i < n; i++) {
    const flags = cols.flags[i]!;
    if (flags & EventFlag.machine) out[i] = MachineClass.machine;
    else if (flags & EventFlag.proxy) out[i] = MachineClass.privacyProxy;
    else {
      const ua = cols.ua[i]!;
      if (ua === 0) continue;
      let kind = proxyAgent[ua]!;
      if (kind === 0) {
        kind = agentKind(agent(ua));
        proxyAgent[ua] = kind;
      }
      if (kind === 1) out[i] = MachineClass.imageProxy;
      else if (kind === 3) out[i] = MachineClass.privacyProxy;
    }
  }
  markBursts(cols, out, rules);
  return out;
}

/** A click on a link of the email (see `burst` above): an email click, an opt-out or a mirror page, with its URL. */
function isLinkClick(cols: EventColumns, i: number): boolean {
  return isEmailLinkType(cols.type[i]) && cols.url[i] !== 0;
}

/** Marks the clicks of bursts (see above) that no earlier reason classified. */
function markBursts(cols: EventColumns, out: Uint8Array, { burstGapS, burstLinks }: MachineRules): void {
  // The clicks, grouped by recipient and in time order within each: two stable radix passes (by time, then by
  // recipient), as a comparator sort of a delivery's hundred thousand clicks cost ~80 ms on opening the logs.
  let count = 0;
  for (let i = 0; i < cols.n; i++) if (isLinkClick(cols, i)) count++;
  const positions = new Uint32Array(count);
  for (let i = 0, k = 0; i < cols.n; i++) if (isLinkClick(cols, i)) positions[k++] = i;
  const clicks = sortIndex(sortIndex(positions, cols.t, undefined, 'asc'), cols.rcp, undefined, 'asc');
  let start = 0;
  while (start < clicks.length) {
    // A run: same recipient, each click within burstGapS of the one before.
    let end = start + 1;
    while (
      end < clicks.length &&
      cols.rcp[clicks[end]!] === cols.rcp[clicks[start]!] &&
      cols.t[clicks[end]!]! - cols.t[clicks[end - 1]!]! <= burstGapS
    ) {
      end++;
    }
    if (end - start >= burstLinks) {
      const links = new Set<number>();
      for (let k = start; k < end; k++) links.add(cols.url[clicks[k]!]!);
      if (links.size >= burstLinks) {
        for (let k = start; k < end; k++) if (out[clicks[k]!] === MachineClass.human) out[clicks[k]!] = MachineClass.burst;
      }
    }
    start = end;
  }
}
