import { describe, expect, it } from 'vitest';
import { DOMAIN_GROUPS, domainBreakdown, domainGroupIndex, domainOf, OTHERS, recipientDomainGroup } from '../../../../lib/indicators/domains';

const group = (name: string): number => DOMAIN_GROUPS.findIndex((g) => g.name === name);

describe('recipient domains', () => {
  it('names the big mail domains, country variants included, and puts the rest under Others', () => {
    expect(domainOf('Anna.Berg@GMail.com')).toBe('gmail.com');
    expect(domainOf('provider-id-123')).toBeUndefined();
    expect(domainGroupIndex('gmail.com')).toBe(group('Gmail'));
    expect(domainGroupIndex('googlemail.com')).toBe(group('Gmail'));
    expect(domainGroupIndex('hotmail.se')).toBe(group('Outlook.com'));
    expect(domainGroupIndex('live.co.uk')).toBe(group('Outlook.com'));
    expect(domainGroupIndex('me.com')).toBe(group('iCloud'));
    expect(domainGroupIndex('acme.example')).toBe(OTHERS);
    expect(domainGroupIndex('livecorp.com')).toBe(OTHERS); // a prefix is a whole first label, not a string prefix
    expect(domainGroupIndex('localhost')).toBe(OTHERS);
    expect(domainGroupIndex(undefined)).toBe(OTHERS);
  });

  it('groups an address as its domain does, however the domain is written, asked once or many times', () => {
    const addresses = ['a@gmail.com', 'b@GMail.COM', 'c@ hotmail.se ', 'd@acme.example', 'provider-id-123', 'e@', 'f@x@me.com', 'g@livecorp.com'];
    for (let round = 0; round < 2; round++) {
      for (const a of addresses) expect(recipientDomainGroup(a), a).toBe(domainGroupIndex(domainOf(a)));
    }
    expect(recipientDomainGroup('b@GMail.COM')).toBe(group('Gmail'));
    expect(recipientDomainGroup('c@ hotmail.se ')).toBe(group('Outlook.com'));
    expect(recipientDomainGroup('f@x@me.com')).toBe(group('iCloud'));
  });

  it('computes open and click-through rates over the messages delivered on each domain', () => {
    // Recipients 1–4 gmail, 5–6 hotmail, 7–8 company; rcpTypes bit 1<<1 = clicked, 1<<2 = opened.
    const domain: Record<number, string> = { 1: 'gmail.com', 2: 'gmail.com', 3: 'googlemail.com', 4: 'gmail.com', 5: 'hotmail.com', 6: 'outlook.com', 7: 'acme.example', 8: 'x.example' };
    const rcpIds = [1, 2, 3, 5, 7, 8];
    const rcpTypes = [0b100, 0b110, 0b010, 0b100, 0b110, 0b1000];
    const delivered = { 'gmail.com': 9, 'googlemail.com': 1, 'hotmail.com': 4, 'outlook.com': 4, 'acme.example': 3, 'x.example': 1, 'yahoo.com': 2 };
    const rows = domainBreakdown(rcpIds, rcpTypes, (id) => domainGroupIndex(domain[id]), delivered);
    expect(rows.map((r) => r.group)).toEqual([group('Gmail'), group('Outlook.com'), group('Yahoo'), OTHERS]);
    const [gmail, outlook, yahoo, others] = rows;
    // Gmail: 3 openers (a click implies an open: recipient 3 only clicked), 2 clickers, 10 delivered.
    expect(gmail).toMatchObject({ delivered: 10, openers: 3, clickers: 2, openRate: 0.3, clickRate: 0.2 });
    expect(gmail!.reactivity).toBeCloseTo(2 / 3);
    expect(gmail!.openerShare).toBe(0.5);
    expect(gmail!.clickerShare).toBeCloseTo(2 / 3);
    expect(outlook).toMatchObject({ delivered: 8, openers: 1, clickers: 0, openRate: 0.125, clickRate: 0, reactivity: 0 });
    // Delivered but nobody opened: still listed, with 0 % rates and no reactivity.
    expect(yahoo).toMatchObject({ delivered: 2, openers: 0, openRate: 0, reactivity: undefined });
    expect(others).toMatchObject({ delivered: 4, openers: 2, clickers: 1, openRate: 0.5, clickRate: 0.25 });
  });

  it('gives shares only when delivered per domain is unknown, and nothing without recipients', () => {
    const rows = domainBreakdown([1, 2], [0b110, 0b100], (id) => (id === 1 ? group('Gmail') : OTHERS));
    expect(rows).toEqual([
      { group: group('Gmail'), delivered: undefined, openers: 1, clickers: 1, openRate: undefined, clickRate: undefined, reactivity: 1, openerShare: 0.5, clickerShare: 1 },
      { group: OTHERS, delivered: undefined, openers: 1, clickers: 0, openRate: undefined, clickRate: undefined, reactivity: 0, openerShare: 0.5, clickerShare: 0 },
    ]);
    expect(domainBreakdown([], [], () => OTHERS)).toEqual([]);
  });
});
