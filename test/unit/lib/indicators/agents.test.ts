import { describe, expect, it } from 'vitest';
import { agentBreakdown, parseAgent } from '../../../../lib/indicators/agents';

const IPHONE_MAIL = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WIN_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const OUTLOOK = 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; Microsoft Outlook 16.0.5422; ms-office; MSOffice 16)';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('user agents', () => {
  it('parses device, OS and browser, with the mail clients the parser does not know', () => {
    expect(parseAgent(IPHONE_MAIL)).toEqual({ device: 'mobile', os: 'iOS', browser: 'Apple Mail' });
    expect(parseAgent(IPHONE_SAFARI)).toMatchObject({ device: 'mobile', os: 'iOS', browser: 'Mobile Safari' });
    expect(parseAgent(WIN_CHROME)).toEqual({ device: 'desktop', os: 'Windows', browser: 'Chrome' });
    expect(parseAgent(OUTLOOK)).toMatchObject({ device: 'desktop', os: 'Windows', browser: 'Outlook' });
    expect(parseAgent(GMAIL)).toEqual({ device: 'proxy', os: '', browser: 'Gmail image proxy' });
    expect(parseAgent('Mozilla/5.0')).toMatchObject({ device: 'proxy' });
    expect(parseAgent(IPAD).device).toBe('tablet');
    expect(parseAgent('')).toEqual({ device: 'unknown', os: '', browser: '' });
  });

  it('sums the per-agent counts of the aggregate by device, OS and browser', () => {
    // Agent ids 1–5 in the dictionary; id 0 = events without a user agent.
    const keys = ['', IPHONE_MAIL, IPHONE_SAFARI, WIN_CHROME, OUTLOOK, GMAIL];
    const ids = [1, 2, 3, 4, 5, 0];
    const opens = [50, 0, 0, 30, 20, 5];
    const clicks = [0, 12, 8, 0, 0, 0];
    const devices = agentBreakdown(ids, opens, clicks, keys, 'device');
    expect(devices.map((r) => [r.name, r.opens, r.clicks])).toEqual([
      ['mobile', 50, 12],
      ['desktop', 30, 8],
      ['proxy', 20, 0],
      ['unknown', 5, 0],
    ]);
    expect(devices[0]!.openShare).toBeCloseTo(50 / 105);
    expect(devices[0]!.clickShare).toBeCloseTo(12 / 20);
    const os = agentBreakdown(ids, opens, clicks, keys, 'os');
    expect(os.map((r) => [r.name, r.opens, r.clicks])).toEqual([
      ['iOS', 50, 12],
      ['Windows', 30, 8],
      ['', 25, 0], // unknown last: the Gmail proxy and the events without an agent
    ]);
    const browsers = agentBreakdown(ids, opens, clicks, keys, 'browser');
    expect(browsers.map((r) => r.name)).toEqual(['Apple Mail', 'Outlook', 'Gmail image proxy', 'Mobile Safari', 'Chrome', '']);
  });

  it('has no rows and no shares without events', () => {
    expect(agentBreakdown([], [], [], [''], 'os')).toEqual([]);
    expect(agentBreakdown([1], [0], [3], ['', WIN_CHROME], 'os')).toEqual([
      { name: 'Windows', opens: 0, clicks: 3, openShare: undefined, clickShare: 1 },
    ]);
  });
});
