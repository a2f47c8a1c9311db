import { agentVersions, parseAgent } from '../indicators/agents';

/**
 * Device, browser and OS of a user agent, for the logs table and exports ("device/browser/OS", the reference's
 * `nms:userAgent` breakdown), from ua-parser-js v1 through parseAgent. A store holds few distinct agents
 * and the table asks for the same ones on every frame, so results are cached by agent string.
 *
 * The device kind and the mail-specific readings come from the statistics tab's `parseAgent`
 * (lib/indicators/agents.ts), so a row of the logs and the device breakdown never disagree: Gmail's image proxy is
 * an image proxy here too (ua-parser-js alone reads its agent as Firefox 11 on Windows XP), and Outlook,
 * Thunderbird and Apple Mail are named as such. This adds the versions the breakdown leaves out.
 */
export type DeviceKind = 'mobile' | 'tablet' | 'desktop' | 'proxy' | 'other';

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
  const named = parseAgent(ua);
  if (named.device === 'proxy') {
    info = { device: 'proxy', browser: named.browser, os: '' };
  } else {
    // One parse, parseAgent's: a mail client it names itself (ua-parser-js says "WebKit" for Apple Mail) has no version.
    info = {
      device: named.device === 'unknown' ? 'other' : named.device,
      browser: join(named.browser, agentVersions(ua).browserMajor),
      os: join(named.os, agentVersions(ua).os),
    };
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(ua, info);
  return info;
}
