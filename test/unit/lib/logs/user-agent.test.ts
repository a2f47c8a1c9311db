import { describe, expect, it } from 'vitest';
import { describeAgent } from '../../../../lib/logs/user-agent';

describe('device, browser and OS of a user agent', () => {
  it('reads phones, desktops and unknown agents', () => {
    expect(
      describeAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'),
    ).toEqual({ device: 'mobile', browser: 'Mobile Safari 17', os: 'iOS 17.5' });
    expect(
      describeAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
    ).toMatchObject({ device: 'desktop', browser: 'Chrome 131', os: 'Windows 10' });
    expect(describeAgent('<img src=x onerror=alert(1)>')).toEqual({ device: 'other', browser: '', os: '' });
  });

  it('reads mail agents as the statistics tab does: image proxies and mail clients by name', () => {
    // ua-parser-js alone reads Gmail's proxy as Firefox 11 on Windows XP, a desktop.
    expect(describeAgent('Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)')).toEqual({
      device: 'proxy',
      browser: 'Gmail image proxy',
      os: '',
    });
    expect(describeAgent('Mozilla/5.0')).toEqual({ device: 'proxy', browser: 'Apple Mail Privacy Protection', os: '' });
    expect(describeAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toEqual({
      device: 'desktop',
      browser: 'Apple Mail',
      os: 'Mac OS 10.15.7',
    });
    expect(describeAgent('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)')).toMatchObject({
      device: 'desktop',
      browser: 'Outlook',
    });
  });
});
