// Domain signals: what a link's host and path say, judged against the official domains in rules/brands.yaml,
// and what a sender address says.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector, Verdict } from '../../src/detector/index.ts';
import { sharedDetector } from '../support/detector.ts';
import { expectContract, reasonCodes, rules, urlCodes } from '../support/verdict.ts';

let d: Detector;
beforeAll(async () => {
  d = await sharedDetector();
}, 60_000);

function check(text: string): Verdict {
  const v = d.analyze(text);
  expectContract(v);
  return v;
}

/** Codes of the only link in a text. */
function codesOf(text: string): string[] {
  const v = check(text);
  expect(v.urls, `one link in ${text}`).toHaveLength(1);
  return urlCodes(v);
}

describe('official domains', () => {
  it('recognises a genuine SMBC card notice as official despite alarming wording', () => {
    const v = check(
      '【三井住友カード】ご利用確認のお願い。お客様のカードに不正利用の可能性があるため、ご利用を一時停止しております。本日中にご確認ください。https://www.smbc-card.com/mem/index.jsp',
    );
    expect(v.brand?.id).toBe('smbc_card');
    expect(v.urls).toEqual([
      expect.objectContaining({
        host: 'www.smbc-card.com',
        domain: 'smbc-card.com',
        official: true,
        codes: ['official_link'],
      }),
    ]);
    expect(reasonCodes(v)).not.toContain('brand_domain_mismatch');
    expect(v.risk).not.toBe('high');
  });

  it('recognises the Amazon one-time-code SMS link as official', () => {
    const v = check(
      'Amazon: お客様のコードは482913です。コードは共有しないでください。リクエストしていない場合は、こちらをクリックして拒否してください: https://amazon.co.jp/a/c/r/Ab12Cd',
    );
    expect(v.urls[0]).toMatchObject({ host: 'amazon.co.jp', official: true, codes: ['official_link'] });
    expect(v.risk).toBe('low');
  });

  it.each([
    'https://www.amazon.co.jp/gp/your-account/order-history',
    'https://s.vpass.jp/?id=abc',
    'https://www.rakuten-card.co.jp/e-navi/',
    'https://www.sagawa-exp.co.jp/',
    'https://paypay.ne.jp/rd/s/dv/',
    'https://support.apple.com/ja-jp/HT201679',
  ])('counts %s (and its subdomains) as official', (url) => {
    const v = check(url);
    expect(v.urls[0]!.official).toBe(true);
    expect(reasonCodes(v)).toContain('official_link');
  });

  it('names the owner of an official link in the reason', () => {
    const v = check('https://www.smbc-card.com/mem/index.jsp');
    expect(v.reasons.find((r) => r.code === 'official_link')!.message).toContain('三井住友カード');
  });
});

describe('imitations of brand domains', () => {
  it('flags an official domain embedded in another host (amazon.co.jp.verify-xx.top)', () => {
    const v = check(
      '【Amazon】お客様のアカウントを停止しました。https://amazon.co.jp.verify-xx.top/ap/signin',
    );
    expect(v.urls[0]).toMatchObject({
      host: 'amazon.co.jp.verify-xx.top',
      domain: 'verify-xx.top',
      official: false,
    });
    expect(urlCodes(v)).toContain('official_domain_embedded');
    expect(v.risk).toBe('high');
  });

  it('flags the hyphenated form (amazon-co-jp.xyz, support.apple.com.id-lock.cfd)', () => {
    expect(codesOf('amazon-co-jp.xyz/login')).toContain('official_domain_embedded');
    expect(codesOf('https://support.apple.com.id-lock.cfd/')).toContain('official_domain_embedded');
  });

  it("does not call a brand's own country site embedded (amazon.com.br is Amazon's)", () => {
    expect(codesOf('https://www.amazon.com.br/')).not.toContain('official_domain_embedded');
  });

  it('flags a brand name inside a non-official host (smbc-card-jp.com)', () => {
    const codes = codesOf('https://smbc-card-jp.com/vpass/login');
    expect(codes).toContain('brand_in_host');
    const v = check('https://smbc-card-jp.com/vpass/login');
    expect(v.brand?.id).toBe('smbc_card');
    expect(v.urls[0]!.official).toBe(false);
  });

  it.each([
    ['arnazon', 'https://arnazon.com/'],
    ['amaz0n', 'https://amaz0n.com/'],
    ['amazom', 'https://amazom.com/'],
    ['arnazon with a suffix', 'https://arnazon-jp.net/signin'],
    ['amaz0n-jp', 'https://amaz0n-jp.com/'],
  ])('flags the look-alike %s as lookalike_domain of Amazon', (_name, url) => {
    const v = check(url);
    expect(urlCodes(v)).toContain('lookalike_domain');
    expect(urlCodes(v)).not.toContain('brand_in_host');
    expect(v.brand?.id).toBe('amazon');
    expect(v.reasons.find((r) => r.code === 'lookalike_domain')!.message).toContain('Amazon');
  });

  it('flags a Cyrillic look-alike written as punycode (xn--mazon-3ve.co.jp = аmazon.co.jp)', () => {
    const v = check('https://xn--mazon-3ve.co.jp/ap/signin');
    expect(v.urls[0]).toMatchObject({
      host: 'xn--mazon-3ve.co.jp',
      hostUnicode: 'аmazon.co.jp',
      official: false,
    });
    expect(urlCodes(v)).toContain('homoglyph_domain');
    expect(v.brand?.id).toBe('amazon');
    expect(v.risk).toBe('high');
  });

  it('flags a Cyrillic look-alike written in Unicode (https://аmazon.co.jp/ with a Cyrillic а)', () => {
    const v = check('https://аmazon.co.jp/ap/signin');
    expect(v.urls).toHaveLength(1);
    expect(v.urls[0]).toMatchObject({
      host: 'xn--mazon-3ve.co.jp',
      hostUnicode: 'аmazon.co.jp',
      official: false,
    });
    expect(urlCodes(v)).toContain('homoglyph_domain');
    expect(v.risk).toBe('high');
  });

  it('flags an Apple look-alike in Cyrillic (xn--80ak6aa92e.com = аррӏе.com)', () => {
    const v = check('https://xn--80ak6aa92e.com/');
    expect(urlCodes(v)).toContain('homoglyph_domain');
    expect(v.brand?.id).toBe('apple');
  });

  it('flags a non-Latin host that imitates no brand only mildly (punycode_domain)', () => {
    const v = check('https://xn--r8jz45g.jp/');
    expect(urlCodes(v)).toContain('punycode_domain');
    expect(urlCodes(v)).not.toContain('homoglyph_domain');
  });

  it.each(['github.com', 'qiita.com', 'tabelog.com', 'nikkei.com', 'kakaku.com', 'cookpad.com', 'note.com'])(
    'does not take the brand-free site %s for an imitation or a random name',
    (host) => {
      const codes = codesOf(`https://${host}/`);
      expect(codes).not.toContain('lookalike_domain');
      expect(codes).not.toContain('brand_in_host');
      expect(codes).not.toContain('random_host');
    },
  );
});

describe('brand names inside ordinary words', () => {
  it.each([
    ['zenicloud.com', 'icloud: its i ends the word before (…i + cloud)'],
    ['harmonymobile.com', 'ymobile: its y ends the word before (…y + mobile)'],
    ['poemsonline.com', 'msonline glued behind a word'],
    ['magicstore.com', 'mistore: the letters of the name in order, but not its "mi"'],
    ['smarterhome.com', 'smart-ex: a slip in "ex" makes another word'],
    ['audi-fans.net', 'au-id: a slip in "id" makes another word'],
  ])('does not take %s for a brand (%s)', (host) => {
    const codes = codesOf(`https://${host}/`);
    expect(codes).not.toContain('lookalike_domain');
    expect(codes).not.toContain('brand_in_host');
  });

  it.each([
    ['myicloud-help.com', 'brand_in_host'],
    ['icloud-verify.com', 'brand_in_host'],
    ['smart-exx.com', 'brand_in_host'],
    ['msonlime.com', 'lookalike_domain'],
    ['mistoore.com', 'lookalike_domain'],
    ['srnart-ex.com', 'lookalike_domain'],
  ])('still reads the brand in %s (%s)', (host, code) => {
    expect(codesOf(`https://${host}/`)).toContain(code);
  });
});

describe("a brand's plain name under a country's ending", () => {
  it("takes mercari.cn for the brand's own name abroad: the cheap ending stays, no imitation", () => {
    for (const host of ['mercari.cn', 'www.mercari.cn']) {
      const codes = codesOf(`https://${host}/`);
      expect(codes).toContain('risky_tld');
      expect(codes).not.toContain('brand_in_host');
    }
  });

  it('still reads an imitation in a compound or under a free ending', () => {
    expect(codesOf('https://mercari-jp.cn/')).toContain('brand_in_host');
    expect(codesOf('https://mercari.ml/')).toContain('brand_in_host');
  });
});

describe('infrastructure signals', () => {
  it.each([
    ['top', 'https://evil-login.top/', 'risky_tld_high'],
    ['xyz', 'https://evil-login.xyz/', 'risky_tld_high'],
    ['shop', 'https://evil-login.shop/', 'risky_tld'],
    ['cn', 'https://evil-login.cn/', 'risky_tld'],
  ])('flags the .%s top-level domain', (tld, url, code) => {
    const v = check(url);
    expect(urlCodes(v)).toContain(code);
    expect(v.reasons.find((r) => r.code === code)!.message).toContain(`.${tld}`);
  });

  it('does not flag ordinary top-level domains', () => {
    for (const url of ['https://example.com/', 'https://example.co.jp/', 'https://example.jp/']) {
      const codes = codesOf(url);
      expect(codes).not.toContain('risky_tld');
      expect(codes).not.toContain('risky_tld_high');
    }
  });

  it('flags a shortener and names it in the reason', () => {
    const v = check('https://bit.ly/3abcDEF');
    expect(urlCodes(v)).toContain('shortener');
    expect(v.reasons.find((r) => r.code === 'shortener')!.message).toContain('bit.ly');
  });

  it('reads a brand claim with a shortened link as a hidden link', () => {
    const v = check('【Amazon】お支払い方法に問題があります https://bit.ly/3abcDEF');
    expect(reasonCodes(v)).toContain('brand_hidden_link');
    expect(v.reasons.find((r) => r.code === 'brand_hidden_link')!.message).toContain('bit.ly');
    // Flagged; 危険 or 注意 is the fitted weight's call (genuine carrier SMS in the data use bit.ly too).
    expect(['high', 'medium']).toContain(v.risk);
  });

  it("does not call a brand's own short link (amzn.to) a third-party shortener", () => {
    const v = check('https://amzn.to/3xYzAbc');
    expect(v.urls[0]!.official).toBe(true);
    expect(urlCodes(v)).not.toContain('shortener');
  });

  it('flags dynamic DNS (duckdns.org)', () => {
    const v = check('https://my-shop.duckdns.org/login');
    expect(urlCodes(v)).toContain('dynamic_dns');
    expect(v.reasons.find((r) => r.code === 'dynamic_dns')!.message).toContain('duckdns.org');
  });

  it.each([
    ['pages.dev', 'https://amazon-jp.pages.dev/'],
    ['workers.dev', 'https://smbc-verify.workers.dev/'],
    ['github.io', 'https://sagawa-tracking.github.io/login'],
    ['000webhostapp.com', 'https://my-page.000webhostapp.com/'],
    ['web.app', 'https://rakuten-card.web.app/'],
  ])('flags free hosting (%s)', (_name, url) => {
    const v = check(url);
    expect(urlCodes(v)).toContain('free_hosting');
    expect(v.urls[0]!.official).toBe(false);
  });

  it("flags a page on a shared host (sites.google.com) without calling Google's own host an imitation", () => {
    const v = check('https://sites.google.com/view/amazon-login');
    expect(urlCodes(v)).toContain('free_hosting');
    // sites.google.com is Google's own host: saying it imitates Google would be false.
    expect(urlCodes(v)).not.toContain('brand_in_host');
  });

  it('unwraps the Google Translate proxy (www-amazon-co-jp.translate.goog)', () => {
    const v = check('https://www-amazon-co-jp.translate.goog/ap/signin');
    expect(urlCodes(v)).toContain('translate_proxy');
    expect(v.reasons.find((r) => r.code === 'translate_proxy')!.message).toContain('www.amazon.co.jp');
    expect(v.urls[0]!.official).toBe(false);
    expect(v.brand?.id).toBe('amazon');
  });

  it.each(['kcjsyqwzp', 'w67uyi15', 'qxzvbnmtrk'])(
    'flags the machine-made name %s as random_host',
    (label) => {
      expect(codesOf(`https://${label}.com/`)).toContain('random_host');
    },
  );

  it.each(['/login', '/ap/signin', '/account/verify', '/mypage/update', '/webscr?cmd=_login'])(
    'flags the log-in path %s',
    (path) => {
      expect(codesOf(`https://example.com${path}`)).toContain('login_path');
    },
  );

  it('does not flag an ordinary path', () => {
    expect(codesOf('https://www.example-shop.co.jp/news/2024/summer')).toEqual([]);
  });

  it('flags phishing-kit paths and an address in the link', () => {
    expect(codesOf('https://example.com/wp-content/plugins/x/login.php')).toContain('kit_path');
    expect(codesOf('https://example.com/verify?email=taro@example.jp')).toContain('email_in_url');
  });

  it('flags http:// but not https:// or a link written without a scheme', () => {
    expect(codesOf('http://example.com/')).toContain('http_link');
    expect(codesOf('https://example.com/')).not.toContain('http_link');
    expect(codesOf('example.com/page')).not.toContain('http_link');
  });

  it('flags an unusual port but not the default one', () => {
    const v = check('https://example.com:8443/');
    expect(urlCodes(v)).toContain('unusual_port');
    expect(v.reasons.find((r) => r.code === 'unusual_port')!.message).toContain('8443');
    expect(codesOf('https://example.com:443/')).not.toContain('unusual_port');
  });

  it('flags a long chain of subdomains', () => {
    expect(codesOf('https://a.b.c.d.example.com/')).toContain('many_subdomains');
  });
});

describe("a brand claim with a link that is not the brand's", () => {
  it.each([
    [
      'Amazon SMS',
      '【Amazon】お客様のアカウントを停止しました。https://secure-signin.net/ap/signin',
      'amazon',
    ],
    [
      'Sagawa SMS',
      '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。https://sagawa-ex.xyz/a',
      'sagawa',
    ],
    [
      'SMBC card',
      '【三井住友カード】ご利用確認のお願い。本日中にご確認ください。https://smbc-card-jp.com/vpass/login',
      'smbc_card',
    ],
    ['Rakuten', '【楽天市場】ポイントが失効します。https://rakuten-point.shop/', 'rakuten'],
  ])('is high with brand_domain_mismatch at the top (%s)', (_name, text, brand) => {
    const v = check(text);
    expect(v.risk).toBe('high');
    expect(v.brand?.id).toBe(brand);
    const at = reasonCodes(v).indexOf('brand_domain_mismatch');
    expect(at, reasonCodes(v).join(',')).toBeGreaterThanOrEqual(0);
    expect(at, reasonCodes(v).join(',')).toBeLessThanOrEqual(2);
  });

  it("names the link's domain and the brand's official domains in the message", () => {
    const v = check('【Amazon】お支払い方法に問題があります。https://account-update.net/pay');
    const msg = v.reasons.find((r) => r.code === 'brand_domain_mismatch')!.message;
    expect(msg).toContain('Amazon');
    expect(msg).toContain('account-update.net');
    expect(msg).toContain('amazon.co.jp');
  });

  it('reads 【Amazon.co.jp】 as the brand tag it is, not as an official link that calms the verdict', () => {
    const plain = check(
      '【Amazon】お支払い方法に問題があります。本日中に 050-1234-5678 までお電話ください。',
    );
    const dotted = check(
      '【Amazon.co.jp】お支払い方法に問題があります。本日中に 050-1234-5678 までお電話ください。',
    );
    expect(dotted.brand?.id).toBe('amazon');
    expect(dotted.risk).toBe(plain.risk);
  });
});

describe('sender addresses', () => {
  it('flags a sender imitating the brand (amazon-security-jp.com)', () => {
    const v = check(
      'From: "Amazon" <account-update@amazon-security-jp.com>\nSubject: お支払い方法の更新\n\nお客様',
    );
    expect(reasonCodes(v)).toContain('sender_lookalike');
    expect(v.emails[0]).toMatchObject({ domain: 'amazon-security-jp.com', official: false });
  });

  it("flags a sender domain that is not the brand's", () => {
    const v = check('From: "Amazon" <info@mail-notice.jp>\nSubject: アカウント情報の確認\n\nお客様');
    expect(reasonCodes(v)).toContain('sender_not_official');
    expect(v.reasons.find((r) => r.code === 'sender_not_official')!.message).toContain('info@mail-notice.jp');
  });

  it('accepts an official sender (shipment-tracking@amazon.co.jp)', () => {
    const v = check(
      'From: "Amazon.co.jp" <shipment-tracking@amazon.co.jp>\nSubject: 発送のお知らせ\n\nご注文の商品を発送しました。',
    );
    expect(v.emails[0]).toMatchObject({ address: 'shipment-tracking@amazon.co.jp', official: true });
    expect(reasonCodes(v)).not.toContain('sender_not_official');
    expect(reasonCodes(v)).not.toContain('sender_lookalike');
  });

  it('calls a free-mail sender that claims a brand free_mail_sender, not a look-alike of Google', () => {
    const v = check('From: "Amazon" <amazon.support.jp@gmail.com>\nSubject: お支払い方法の更新\n\nお客様');
    expect(v.brand?.id).toBe('amazon');
    expect(reasonCodes(v)).toContain('free_mail_sender');
    expect(reasonCodes(v)).not.toContain('sender_lookalike');
  });

  it('does not take an ordinary Gmail user for an imitation of Google', () => {
    const v = check(
      '差出人: 田中 <tanaka.hanako@gmail.com>\n件名: 週末の予定\n\n土曜日のランチ、12時に駅前でどうですか？',
    );
    expect(reasonCodes(v)).not.toContain('sender_lookalike');
    expect(v.brand).toBeNull();
    expect(v.risk).toBe('low');
  });

  it('never calls an address at a free-mail service official', () => {
    const official: string[] = [];
    for (const address of [
      'someone@yahoo.co.jp',
      'someone@gmail.com',
      'someone@icloud.com',
      'someone@outlook.jp',
    ]) {
      const v = check(`連絡先は ${address} です`);
      expect(v.emails.map((e) => e.address)).toEqual([address]);
      if (v.emails[0]!.official) official.push(address);
    }
    expect(official).toEqual([]);
  });

  it('does not take generic words in a sender domain (account-notice.net) for a brand look-alike', () => {
    const v = check('From: "Amazon" <notice@account-notice.net>\nSubject: アカウント情報の確認\n\nお客様');
    expect(reasonCodes(v)).not.toContain('sender_lookalike');
    expect(reasonCodes(v)).toContain('sender_not_official');
  });
});

describe('official domains in rules/brands.yaml', () => {
  it('judges every official web domain of every brand as official', () => {
    const failures: string[] = [];
    for (const b of rules.brands)
      for (const dom of b.domains.filter((x) => x.use.includes('web'))) {
        const v = d.analyze(`https://${dom.domain}/`);
        if (!v.urls[0]?.official) failures.push(`${b.id}: ${dom.domain} ${JSON.stringify(v.urls[0]?.codes)}`);
      }
    expect(failures).toEqual([]);
  });
});
