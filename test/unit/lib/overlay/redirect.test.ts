import { describe, expect, it } from 'vitest';
import { parseAdobeId, parseRedirect } from '../../../../lib/overlay/redirect';

describe('parseRedirect', () => {
  it("reads Adobe's /r/?id=h<message>,<delivery>,<url> on any tracking host", () => {
    expect(parseRedirect('https://nlt.example.com/r/?id=h617791,71ffa3,71ffa8&p1=x')).toEqual({
      provider: 'adobe',
      deliveryExtId: '71ffa3',
      urlExtId: '71ffa8',
    });
    expect(parseAdobeId('t0,A,B')).toEqual({ content: 't', message: '0', delivery: 'a', url: 'b' });
    expect(parseRedirect('https://nlt.example.com/r/?id=nonsense')).toBeUndefined();
    expect(parseRedirect('https://nlt.example.com/r/test')).toBeUndefined();
  });

  it("recognises the providers' click-tracking hosts", () => {
    expect(parseRedirect('https://acme.us5.list-manage.com/track/click?u=abc&id=f00d1&e=123')).toEqual({ provider: 'mailchimp', urlExtId: 'f00d1' });
    expect(parseRedirect('https://u1234.ct.sendgrid.net/ls/click?upn=xyz')?.provider).toBe('sendgrid');
    expect(parseRedirect('https://url9.news.example.com/ls/click?upn=xyz')?.provider).toBe('sendgrid');
    expect(parseRedirect('https://email.news.example.com/c/eJxVkMtugzAQRX_FYk0wNpiEXaVu2q_oyoFJsOIH8oNGjfrvHZJNu7E0Z869nvG9SGAVXOqxCFNzZ8ZrpZV')?.provider).toBe('mailgun');
    expect(parseRedirect('https://spgo.io/f/a/abc/def')?.provider).toBe('sparkpost');
    expect(parseRedirect('https://xyz.r.bh.d.sendibt3.com/tr/cl/abcdef')?.provider).toBe('brevo');
  });

  it('takes the destination out of a Postmark link', () => {
    expect(parseRedirect('https://click.pstmrk.it/3s/shop.example.com%2Fsale%3Fx%3D1/AbCd/EfGh')).toEqual({
      provider: 'postmark',
      destination: 'https://shop.example.com/sale?x=1',
    });
  });

  it('leaves plain links alone', () => {
    expect(parseRedirect('https://shop.example.com/c/category')).toBeUndefined();
    expect(parseRedirect('https://shop.example.com/r/?id=7')).toBeUndefined();
    expect(parseRedirect('mailto:x@y.example')).toBeUndefined();
  });
});
