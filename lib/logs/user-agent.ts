import { UAParser } from 'ua-parser-js';

/**
 * Device, browser and OS of a user agent, for the logs table and exports ("device/browser/OS", the reference's
 * `nms:userAgent` breakdown). ua-parser-js v1 (MIT; v2 is AGPL, so stay on ^1). A store holds few distinct agents
 * and the table asks for the same ones on every frame, so results are cached by agent string.
 */
export type DeviceKind = 'mobile' | 'tablet' | 'desktop' | 'other';

export interface AgentInfo {
  device: DeviceKind;
  /** "Chrome 131", "" when unknown. */
  browser: string;
  /** "iOS 17.5", "" when unknown. */
  os: string;
}

const cache = new Map<string, AgentInfo>();
const MAX_CACHE = 5000;

function join(name: string | undefined, version: string | undefined): string {
  return name ? (version ? `${name} ${version}` : name) : '';
}

export function describeAgent(ua: string): AgentInfo {
  let info = cache.get(ua);
  if (info) return info;
  const r = new UAParser(ua).getResult();
  const type = r.device.type;
  const os = join(r.os.name, r.os.version);
  const device: DeviceKind =
    type === 'mobile' || type === 'tablet'
      ? type
      : type === undefined && os !== '' && /windows|mac os|linux|chrom/i.test(r.os.name ?? '')
        ? 'desktop'
        : 'other';
  info = { device, browser: join(r.browser.name, r.browser.major), os };
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(ua, info);
  return info;
}
