// A link sent on its own (issue 10, item 4): what its shape says, and the honest 判定できません for a site
// that is neither official nor suspicious. Hosts here are made up for the tests (none is from ../shared/eval).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Verdict } from '../../src/detector/index.ts';
import { typoOf } from '../../src/detector/links.ts';
import { useDetector } from '../support/detector.ts';
import { reasonCodes, rules, urlCodes } from '../support/verdict.ts';

const { check } = useDetector();

const flagged = (v: Verdict) => v.risk === 'high' || v.risk === 'medium';

describe('a link the bot cannot vouch for', () => {
  it.each(['https://kitchen-garden-notes.com/', 'https://www.sakura-bakery-shop.jp/menu/bread'])(
    'answers 判定できません (unknown) with unverified_site for %s, never green',
    (url) => {
      const v = check(url);
      expect(v.risk).toBe('unknown');
      expect(v.score).toBeLessThan(rules.scoring.thresholds.medium);
      const reason = v.reasons.find((r) => r.code === 'unverified_site');
      expect(reason?.severity).toBe('info');
      expect(reason?.message).toContain(v.urls[0]!.domain);
      expect(reason?.message).toContain('公式アプリ');
      expect(reasonCodes(v)).not.toContain('no_content');
    },
  );

  it('tells the person what to do instead, not to send the text again', () => {
    const v = check('https://kitchen-garden-notes.com/');
    expect(v.advice.join('')).toContain('ログイン');
    expect(v.advice.join('')).not.toContain('本文をコピー');
  });

  it('keeps a link with weak signs that are not enough to warn unknown too (http alone)', () => {
    const v = check('http://kitchen-garden-notes.com/recipes/');
    expect(urlCodes(v)).toContain('http_link');
    expect(v.risk).toBe('unknown');
  });

  it('stays green for an official domain', () => {
    const v = check('https://www.amazon.co.jp/gp/your-account/order-history');
    expect(v.risk).toBe('low');
    expect(reasonCodes(v)).not.toContain('unverified_site');
  });

  it('takes a link into a zone only public bodies can register in (go.jp, lg.jp) as official', () => {
    const v = check('https://www.city.example.lg.jp/bousai/kuma.html');
    expect(v.risk).toBe('low');
    expect(v.urls[0]).toMatchObject({ official: true, codes: ['government_domain'] });
    expect(reasonCodes(v)).not.toContain('unverified_site');
    // Only below the zone: a look-alike zone name elsewhere is not one.
    expect(check('https://lg.jp.example-city.com/').urls[0]!.official).toBe(false);
  });

  it('still says 判定できません with no_content for an empty message', () => {
    const v = check('');
    expect(v.risk).toBe('unknown');
    expect(reasonCodes(v)).toContain('no_content');
  });
});

describe('services anyone can use (rules/hosts, sublime-security lists)', () => {
  it.each([
    ['https://secure-check-77.pages.dev/login', 'free_hosting'],
    ['https://notice-jp.workers.dev/', 'free_hosting'],
    ['https://pub-0a1b2c3d.r2.dev/index.html', 'free_hosting'],
    ['https://myparcel.duckdns.org/', 'dynamic_dns'],
    ['https://u1234567.ct.sendgrid.net/ls/click?upn=abcdef', 'click_tracking'],
    ['https://gofile.io/d/receipt-2025', 'file_host'],
    ['https://www-amazon-co-jp.translate.goog/ap/signin', 'translate_proxy'],
  ])('%s gives %s', (url, code) => {
    expect(urlCodes(check(url))).toContain(code);
  });

  it('takes a click-tracking domain only with a token (its bare front page is the mail service itself)', () => {
    expect(urlCodes(check('https://u1234567.ct.sendgrid.net/ls/click?upn=abcdef'))).toContain(
      'click_tracking',
    );
    expect(urlCodes(check('https://sendgrid.net/'))).not.toContain('click_tracking');
  });

  it('takes shorteners from the long list only with a path (a front page hides nothing)', () => {
    expect(urlCodes(check('https://short.io/xYz12'))).toContain('shortener');
    expect(urlCodes(check('https://short.io/'))).not.toContain('shortener');
    // domains.yaml's own shorteners count even when the quoted path was masked.
    expect(urlCodes(check('https://cutt.ly/'))).toContain('shortener');
  });

  it("takes a long path on a site of the long list for the site's own page, not a short link", () => {
    expect(urlCodes(check('https://short.io/blog/how-to-pick-a-good-name-for-your-links'))).not.toContain(
      'shortener',
    );
  });

  it("judges a blog's user name like a registered name, not like a kit's sub-domain", () => {
    const v = check('https://kuroyagiblog.hatenablog.com/entry/2022/03/11/151547');
    expect(urlCodes(v)).not.toContain('random_subdomain');
    expect(flagged(v)).toBe(false);
  });

  it('weighs a blog service less than free hosting: a blog post alone is not flagged', () => {
    const v = check('https://example-dev-team.hatenablog.com/entry/2025/03/18/123139');
    expect(urlCodes(v)).toContain('blog_hosting');
    expect(urlCodes(v)).not.toContain('free_hosting');
    expect(flagged(v)).toBe(false);
  });

  it('keeps the licence beside the derived lists', () => {
    const licence = readFileSync(new URL('../../rules/hosts/LICENSE-sublime', import.meta.url), 'utf8');
    expect(licence).toContain('Sublime Security');
    const lists = parseYaml(
      readFileSync(new URL('../../rules/hosts/sublime.yaml', import.meta.url), 'utf8'),
    ) as Record<string, string[]>;
    expect(lists.free_subdomain).toContain('workers.dev');
    expect(lists.click_tracking).toContain('sendgrid.net');
  });
});

describe('shapes of throw-away phishing hosts', () => {
  it('flags a cheap top-level domain with a sub-domain in front, not the bare domain', () => {
    const kit = check('https://account.qwmzpt.cn/');
    expect(urlCodes(kit)).toEqual(expect.arrayContaining(['risky_tld', 'risky_tld_subdomain']));
    expect(flagged(kit)).toBe(true);
    const bare = check('https://example-tea.cn/');
    expect(urlCodes(bare)).not.toContain('risky_tld_subdomain');
    expect(flagged(bare)).toBe(false);
    expect(urlCodes(check('https://www.example-tea.cn/'))).not.toContain('risky_tld_subdomain');
  });

  it("flags log-in words in front of someone else's name more than in a registered name", () => {
    const v = check('https://customer-satisfaction-survey.gardenplot.com/');
    expect(urlCodes(v)).toContain('login_subdomain');
    expect(urlCodes(v)).not.toContain('login_host');
    expect(flagged(v)).toBe(true);
    const own = check('https://www.kimura-service.de/kontakt');
    expect(urlCodes(own)).not.toContain('login_subdomain');
    expect(flagged(own)).toBe(false);
  });

  it('calls a registered name made only of digits, or short with digits inside on a cheap TLD, random', () => {
    expect(urlCodes(check('https://vdg.58213.cn/'))).toContain('random_host');
    // Digits inside the letters of a short name on a cheap TLD; a name with a number at its end is not.
    expect(flagged(check('https://q7wzpd.cn/'))).toBe(true);
    expect(urlCodes(check('https://manga18.cn/'))).not.toContain('random_host');
  });

  it('flags www in front of further labels, but not in public zones', () => {
    const v = check('https://www.ae.qorbemta.com/');
    expect(urlCodes(v)).toContain('www_inside');
    expect(flagged(v)).toBe(true);
    expect(urlCodes(check('https://www.city.example.lg.jp/kurashi/'))).not.toContain('www_inside');
    expect(urlCodes(check('https://www.example-shop.com/'))).not.toContain('www_inside');
  });

  it('flags a path that is nothing but a short code, but not an ordinary page', () => {
    const v = check('https://cosmo-deliver.com/4JaYd9');
    expect(urlCodes(v)).toContain('short_code_path');
    // How much the sign weighs is fitted (npm run fit); a phishing-shaped link is never green.
    expect(v.risk).not.toBe('low');
    expect(urlCodes(check('https://cosmo-deliver.com/about'))).not.toContain('short_code_path');
    expect(urlCodes(check('https://cosmo-deliver.com/2024/'))).not.toContain('short_code_path');
  });

  it('flags a machine-made folder right under the site, not dates, hashes or words', () => {
    const v = check('http://garden-tools-shop.com/q7vkx42b9/cb-view.php');
    expect(urlCodes(v)).toContain('random_path');
    expect(flagged(v)).toBe(true);
    for (const ok of [
      'https://garden-tools-shop.com/2024/05/new-seeds',
      'https://garden-tools-shop.com/3f9a2c7be41d/',
      'https://garden-tools-shop.com/products/item-12',
    ])
      expect(urlCodes(check(ok)), ok).not.toContain('random_path');
  });

  it('flags a trusted-looking domain used as a folder, not a link carried inside the path', () => {
    const v = check('https://garden-tools-shop.com/smbc.co.jp/');
    expect(urlCodes(v)).toContain('domain_in_path');
    expect(flagged(v)).toBe(true);
    expect(urlCodes(check('https://garden-tools-shop.com/go/http://www.example.org/'))).not.toContain(
      'domain_in_path',
    );
    expect(urlCodes(check('https://garden-tools-shop.com/index.html'))).not.toContain('domain_in_path');
  });

  it('finds a brand name with letters slipped in (amaszon, amazoen)', () => {
    for (const url of ['https://www.amaszon-shop.com/', 'https://amazoen.example-pay.com/']) {
      const v = check(url);
      expect(urlCodes(v), url).toContain('lookalike_domain');
      expect(v.brand?.id).toBe('amazon');
    }
  });

  it('does not take a different first letter for a slip (tmobile is not ymobile)', () => {
    expect(typoOf('tmobile', 'ymobile')).toBe(false);
    expect(typoOf('mobile', 'ymobile')).toBe(false);
    expect(typoOf('rakuien', 'rakuten')).toBe(true);
    expect(typoOf('rakutenn', 'rakuten')).toBe(true);
  });

  it('does not call two glued words random (techblog, paylater)', () => {
    expect(urlCodes(check('https://techblog.example-corp.com/entry/2025/01/01/'))).not.toContain(
      'random_subdomain',
    );
    expect(urlCodes(check('https://kcjsyqwzp.com/'))).toContain('random_host');
  });
});

describe('paths', () => {
  it('counts CMS folders only for pages, not for the files a site serves there', () => {
    expect(urlCodes(check('https://www.garden-tools-shop.com/wp-content/plugins/x/login.html'))).toContain(
      'kit_path',
    );
    expect(urlCodes(check('https://www.garden-tools-shop.com/wp-includes/wlwmanifest.xml'))).not.toContain(
      'kit_path',
    );
    expect(urlCodes(check('https://www.garden-tools-shop.com/index.php/about'))).not.toContain('kit_path');
  });

  it('counts a brand in short path parts, not in an article slug', () => {
    expect(urlCodes(check('https://garden-tools-shop.com/amazon/signin'))).toContain('brand_in_path');
    expect(urlCodes(check('https://garden-tools-shop.com/smbc/update.php'))).toContain('brand_in_path');
    expect(
      urlCodes(
        check('https://news.example-media.com/2015/04/16/my-week-with-the-amazon-kindle-and-a-cup-of-tea/'),
      ),
    ).not.toContain('brand_in_path');
  });
});
