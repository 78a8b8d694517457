// More shapes of a link sent on its own (issue 10, item 4): numbered and machine-room sub-domains, made-up
// names on cheap top-level domains, per-recipient marks, pages for Japan only, mixed-case codes and a mail
// address hidden in base64. How much each weighs is fitted (npm run fit); these tests pin what is found and
// what is not. Hosts are made up for the tests (none is from ../shared/eval).
import { describe, expect, it } from 'vitest';
import { useDetector } from '../support/detector.ts';
import { urlCodes } from '../support/verdict.ts';

const { analyze, check } = useDetector();

const codes = (text: string): string[] => urlCodes(check(text));

describe('host shapes', () => {
  it('finds a sub-domain named by a number, not www1 or a word', () => {
    expect(codes('https://4817.gardenplot.com/')).toContain('numeric_subdomain');
    expect(codes('https://95y.gardenplot.com/')).toContain('numeric_subdomain');
    expect(analyze('https://4817.gardenplot.com/').risk).not.toBe('low');
    for (const ok of [
      'https://www1.gardenplot.com/',
      'https://shop.gardenplot.com/',
      'https://gardenplot.com/',
    ])
      expect(codes(ok), ok).not.toContain('numeric_subdomain');
  });

  it('judges a made-up registered name loosely on a cheap TLD, strictly on .com', () => {
    expect(codes('https://www.tsebqulm.cn/')).toContain('random_host');
    expect(codes('https://www.tsebqulm.com/')).not.toContain('random_host');
  });

  it('finds mail and hosting machinery names in front of a domain, not mail. or shop.', () => {
    for (const url of ['https://mta-sts.gardenplot.com/', 'https://autodiscover.gardenplot.com/login'])
      expect(codes(url), url).toContain('infrastructure_host');
    for (const ok of ['https://mail.gardenplot.com/', 'https://shop.gardenplot.com/', 'https://cpanel.net/'])
      expect(codes(ok), ok).not.toContain('infrastructure_host');
  });
});

describe('path and query shapes', () => {
  it('takes one machine-made key with a tiny value for a per-recipient mark, not a real parameter', () => {
    expect(codes('https://gardenplot.com/etc.php?zq4t=1')).toContain('bare_query_token');
    for (const ok of [
      'https://gardenplot.com/list.php?page=2',
      'https://gardenplot.com/?utm_source=mail',
      'https://gardenplot.com/?v2=abcdef',
      'https://gardenplot.com/?zq4t=1&page=2',
    ])
      expect(codes(ok), ok).not.toContain('bare_query_token');
  });

  it("finds a page for Japan only on a site outside .jp, not a .jp site's or a deeper page", () => {
    for (const url of [
      'https://gardenplot.com/jp',
      'https://gardenplot.com/jp.php',
      'https://gardenplot.com/japan/',
    ])
      expect(codes(url), url).toContain('japan_only_path');
    for (const ok of [
      'https://gardenplot.co.jp/jp',
      'https://gardenplot.com/jp/products/seeds',
      'https://gardenplot.com/jpeg',
    ])
      expect(codes(ok), ok).not.toContain('japan_only_path');
  });

  it('takes a mixed-case letter code for a short code, not a name written in CamelCase', () => {
    expect(codes('https://gardenplot.com/PqJhv')).toContain('short_code_path');
    expect(codes('https://gardenplot.com/TZpQXW')).toContain('short_code_path');
    for (const ok of [
      'https://gardenplot.com/AboutUs',
      'https://gardenplot.com/GhostOut',
      'https://gardenplot.com/FAQ',
    ])
      expect(codes(ok), ok).not.toContain('short_code_path');
  });

  it('finds a mail address written in base64 in the path or a parameter, not other base64', () => {
    const b64 = Buffer.from('someone@example.org').toString('base64');
    const b64url = Buffer.from('hanako.sato@example.net').toString('base64url');
    expect(codes(`https://gardenplot.com/?1=${b64}`)).toContain('email_in_url');
    expect(codes(`https://gardenplot.com/re/${b64url}`)).toContain('email_in_url');
    const other = Buffer.from('category_top,4075').toString('base64');
    expect(codes(`https://gardenplot.com/beacon?p=${other}`)).not.toContain('email_in_url');
    expect(codes('https://gardenplot.com/video/UE40eW5QN0p8M2Y')).not.toContain('email_in_url');
  });
});

describe('a link carried inside another one', () => {
  it('judges where a redirect leads, and says so', () => {
    const inner = encodeURIComponent('https://account.qwmzpt.cn/login');
    const v = check(`https://gardenplot.com/away.php?to=${inner}`);
    expect(urlCodes(v)).toEqual(expect.arrayContaining(['redirect_param', 'risky_tld_subdomain']));
    expect(v.risk === 'high' || v.risk === 'medium').toBe(true);
    expect(v.reasons.find((r) => r.code === 'redirect_param')?.message).toContain('account.qwmzpt.cn');
  });

  it('adds nothing of its own: a share button carrying an ordinary page stays unknown', () => {
    const v = analyze(
      'https://gardenplot.com/share?u=https%3A%2F%2Fnews.example-media.com%2F2025%2F01%2Fseeds',
    );
    expect(urlCodes(v)).toContain('redirect_param');
    expect(v.risk).toBe('unknown');
  });

  it("does not take the brand's name in a carried official address for an imitation", () => {
    const codes = urlCodes(analyze('https://gardenplot.com/go?u=https://www.amazon.co.jp/'));
    expect(codes).toContain('redirect_param');
    expect(codes).not.toContain('brand_in_path');
  });

  it('ignores a link to the same site (a log-in page that returns you)', () => {
    expect(codes('https://gardenplot.com/login?next=https://www.gardenplot.com/cart')).not.toContain(
      'redirect_param',
    );
  });
});
