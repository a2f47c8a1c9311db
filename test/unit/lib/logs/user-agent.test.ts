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
});
