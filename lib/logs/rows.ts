import { EVENT_TYPE_NAMES, EventFlag, type EventTypeCode } from '../event-types';
import type { EventColumns } from '../db/events';
import type { UrlRow } from '../db/schema';
import { t, uiLanguage, type MessageKey } from '../i18n';
import { DEFAULT_MACHINE_RULES, MACHINE_CLASS_NAMES, type MachineRules } from '../indicators/machine';
import { describeAgent, type DeviceKind } from './user-agent';
import { wallClockFormatter } from '../zoned-time';

/** How the logs table and the recipient tab put an event's ids into words (shared, so both read the same). */

const TYPE_KEYS: Record<EventTypeCode, MessageKey> = {
  1: 'logs_type_click',
  2: 'logs_type_open',
  3: 'logs_type_opt_out',
  4: 'logs_type_web',
  5: 'logs_type_transaction',
  6: 'logs_type_mirror',
};

const typeLabels = new Map<number, string>();

/** The event type's name in the UI language (cached: the table asks for it on every row of every frame). */
export function typeLabel(code: number): string {
  let label = typeLabels.get(code);
  if (label === undefined) {
    const key = TYPE_KEYS[code as EventTypeCode];
    label = key ? t(key) : String(code);
    typeLabels.set(code, label);
  }
  return label;
}

/**
 * Event times as the tables show them (as formatDateTimeLong: date and time with seconds, in `timeZone`), with the
 * Intl formatter made once per table rather than looked up per cell.
 */
export function eventTimeFormat(timeZone: string): (seconds: number) => string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat(uiLanguage(), { ...options, timeZone });
  } catch {
    f = new Intl.DateTimeFormat(uiLanguage(), options); // an unknown zone: the browser's, as formatDate does
  }
  return (seconds) => f.format(seconds * 1000);
}

const DEVICE_KEYS: Record<DeviceKind, MessageKey> = {
  mobile: 'logs_device_mobile',
  tablet: 'logs_device_tablet',
  desktop: 'logs_device_desktop',
  proxy: 'logs_device_proxy',
  other: 'logs_device_unknown',
};

const deviceTexts = new Map<string, string>();

/** "Mobile · Mobile Safari 17 · iOS 17.5"; '' when there is no user agent. Cached by agent. */
export function deviceText(ua: string | undefined): string {
  if (!ua) return '';
  let text = deviceTexts.get(ua);
  if (text === undefined) {
    const info = describeAgent(ua);
    text = [t(DEVICE_KEYS[info.device]), info.browser, info.os].filter((x) => x !== '').join(' · ');
    if (deviceTexts.size > 5000) deviceTexts.clear();
    deviceTexts.set(ua, text);
  }
  return text;
}

const CLASS_KEYS: readonly MessageKey[] = [
  'logs_class_human',
  'logs_class_machine',
  'logs_class_privacy_proxy',
  'logs_class_image_proxy',
  'logs_class_burst',
];
const WHY_KEYS: readonly (MessageKey | undefined)[] = [
  undefined,
  'logs_class_machine_why',
  'logs_class_privacy_proxy_why',
  'logs_class_image_proxy_why',
  'logs_class_burst_why',
];
let classTexts: string[] | undefined;
let classWhys: (string | undefined)[] | undefined;

/** "Human", "Privacy proxy", "Link scanner" … for a MachineClassCode (lib/indicators/machine.ts). */
export function classText(code: number): string {
  classTexts ??= CLASS_KEYS.map((k) => t(k));
  return classTexts[code] ?? classTexts[0]!;
}

let whyRules = '';

/** Why an event is taken for a machine (the cell's tooltip, with the rules in force); undefined for a human. */
export function classWhy(code: number, rules: MachineRules = DEFAULT_MACHINE_RULES): string | undefined {
  const key = `${rules.burstLinks}/${rules.burstGapS}`;
  if (!classWhys || whyRules !== key) {
    whyRules = key;
    classWhys = WHY_KEYS.map((k) =>
      k === 'logs_class_burst_why' ? t(k, [rules.burstLinks, rules.burstGapS]) : k ? t(k) : undefined,
    );
  }
  return classWhys[code];
}

/** What a tracked URL is shown as: its label when it has one, else the URL. */
export function urlText(row: UrlRow | undefined): string {
  if (!row) return '';
  return row.label ? row.label : row.url;
}

/** Flag names for exports (machine, proxy, repeat-open), `;`-separated. */
export function flagNames(flags: number): string {
  const out: string[] = [];
  if (flags & EventFlag.machine) out.push('machine');
  if (flags & EventFlag.proxy) out.push('proxy');
  if (flags & EventFlag.repeatOpen) out.push('repeat-open');
  return out.join(';');
}

export interface RowLookups {
  recipient: (id: number) => string;
  url: (id: number) => UrlRow | undefined;
  agent: (id: number) => string | undefined;
  ip: (id: number) => string | undefined;
  /** The recipient tab's delivery column: the delivery's label. */
  delivery?: ((id: number) => string) | undefined;
  /** Each event's machine class (lib/indicators/machine.ts), by position in the columns: a `class` column. */
  classes?: Uint8Array | undefined;
}

/**
 * Columns and a row builder for the export of the events at `index` (positions in `cols`). Times are written twice:
 * as the wall clock in `timeZone` (stated in the header) and as UTC ISO 8601, so no reader has to guess.
 */
export function exportRows(
  cols: EventColumns,
  index: Uint32Array,
  lookups: RowLookups,
  timeZone: string,
  deliveryCol?: Uint32Array,
): { columns: string[]; row: (i: number) => string[] } {
  const wall = wallClockFormatter(timeZone);
  const columns = ['time', 'time_utc', 'type'];
  if (deliveryCol && lookups.delivery) columns.push('delivery_id', 'delivery');
  columns.push('recipient', 'url', 'label', 'device', 'browser', 'os', 'user_agent', 'ip', 'flags');
  const classes = lookups.classes;
  if (classes) columns.push('class');
  const row = (i: number): string[] => {
    const k = index[i]!;
    const s = cols.t[k]!;
    const url = lookups.url(cols.url[k]!);
    const ua = lookups.agent(cols.ua[k]!) ?? '';
    const info = ua ? describeAgent(ua) : undefined;
    const cells = [wall(s), new Date(s * 1000).toISOString().replace('.000Z', 'Z'), EVENT_TYPE_NAMES[cols.type[k] as EventTypeCode] ?? String(cols.type[k])];
    if (deliveryCol && lookups.delivery) cells.push(String(deliveryCol[k]), lookups.delivery(deliveryCol[k]!));
    cells.push(
      lookups.recipient(cols.rcp[k]!),
      url?.url ?? '',
      url?.label ?? '',
      info?.device ?? '',
      info?.browser ?? '',
      info?.os ?? '',
      ua,
      lookups.ip(cols.ip[k]!) ?? '',
      flagNames(cols.flags[k]!),
    );
    if (classes) cells.push(MACHINE_CLASS_NAMES[classes[k]!] ?? '');
    return cells;
  };
  return { columns, row };
}
