// Host labels of a link sent on its own (issue 10, item 4): coded sub-domains, "www" glued to words, numbered
// mail servers, a four-letter brand with letters glued on, Japan's mark joined to words outside .jp.
// How much each weighs is fitted (npm run fit); these tests pin what is found and what is not. Hosts are made
// up for the tests (none is from ../shared/eval).
import { describe, expect, it } from 'vitest';
import {
  codedLabel,
  echoedLabel,
  japanTag,
  numberedInfrastructure,
  shortBrandFragment,
  wwwGlued,
} from '../../src/detector/host-shapes.ts';
import { useDetector } from '../support/detector.ts';
import { urlCodes } from '../support/verdict.ts';

const { check } = useDetector();

const codes = (text: string): string[] => urlCodes(check(text));

describe('label shapes', () => {
  it('codes letters-number-letters, not a word with a number', () => {
    for (const l of ['qrt48kz', 'abmw2271p', 'zz90yy', '7qcz9', 'ktwe8qs', 'k468pz'])
      expect(codedLabel(l), l).toBe(true);
    for (const l of [
      'www2',
      'cms1',
      'shop24',
      'x1y',
      '24hours',
      'go',
      'a1b2',
      'web-2x',
      'shop24x7longername',
    ])
      expect(codedLabel(l), l).toBe(false);
  });

  it('finds a label that says the same letters twice, not words said once', () => {
    for (const l of ['orchard-orchard', 'planting-plantings', 'idenceiden'])
      expect(echoedLabel(l), l).toBe(l);
    for (const l of ['shop', 'news-today', 'engineering', 'tech-blog', 'a1b2a1b2', 'mama'])
      expect(echoedLabel(l), l).toBeNull();
  });

  it('finds www glued to words, not www2 or www-ssl', () => {
    const common = new Set(['secure', 'mobile']);
    expect(wwwGlued('wwwpointinfo', common)).toBe('wwwpointinfo');
    expect(wwwGlued('www-point-view', common)).toBe('www-point-view');
    for (const l of ['www', 'www2', 'www-secure', 'wwwmobile', 'www-a', 'webwww'])
      expect(wwwGlued(l, common), l).toBeNull();
  });

  it('finds numbered mail servers by their stem', () => {
    const stems = new Set(['mail', 'smtp', 'mx']);
    for (const l of ['mail3', 'smtp01', 'mx-10']) expect(numberedInfrastructure(l, stems), l).toBe(true);
    for (const l of ['mail', 'mailbox2', 'shop3', 'my2'])
      expect(numberedInfrastructure(l, stems), l).toBe(false);
  });

  it('takes one to three odd letters after a four-letter brand, not words or known pieces', () => {
    const pieces = ['dns', 'cdn', 'api'];
    const common = new Set(['jp', 'my']);
    expect(shortBrandFragment('smbcqx', 'smbc', pieces, common)).toBe('qx');
    expect(shortBrandFragment('aeonzk', 'aeon', pieces, common)).toBe('zk');
    for (const t of ['smbc', 'smbcdns', 'smbcjp', 'smbcnikko', 'smbc12', 'xsmbcq'])
      expect(shortBrandFragment(t, 'smbc', pieces, common), t).toBeNull();
    expect(shortBrandFragment('amazonq', 'amazon', pieces, common)).toBeNull();
  });
});

describe('in a link', () => {
  it('calls a coded sub-domain random', () => {
    expect(codes('https://qrt48kz.gardenplot.com/')).toContain('random_subdomain');
    expect(codes('https://www2.gardenplot.com/')).not.toContain('random_subdomain');
  });

  it('says www_glued for a sub-domain that starts with www and words', () => {
    expect(codes('https://wwwpointinfo.gardenplot.com/')).toContain('www_glued');
    expect(codes('https://www-point-view.gardenplot.com/')).toContain('www_glued');
    expect(codes('https://www-gardenplot.net/')).toContain('www_glued');
    for (const ok of [
      'https://www.gardenplot.com/',
      'https://www2.gardenplot.com/',
      'https://wwwgardenplot.com/',
    ])
      expect(codes(ok), ok).not.toContain('www_glued');
  });

  it('says echoed_subdomain for a repeated sub-domain name, not for the registered name', () => {
    expect(codes('https://orchard-orchard.gardenplot.com/')).toContain('echoed_subdomain');
    expect(codes('https://orchard-orchard.com/')).not.toContain('echoed_subdomain');
    expect(codes('https://blog.gardenplot.com/')).not.toContain('echoed_subdomain');
  });

  it('says login_subdomain for a log-in word glued to others in a sub-domain, not for its English forms', () => {
    for (const url of ['https://accountupdate.gardenplot.com/', 'https://mynumberpoint.gardenplot.com/'])
      expect(codes(url), url).toContain('login_subdomain');
    for (const ok of ['https://accounting.gardenplot.com/', 'https://supporters.gardenplot.com/'])
      expect(codes(ok), ok).not.toContain('login_subdomain');
  });

  it('says login_subdomain for account. or webmail. in front of a made-up name only', () => {
    for (const url of ['https://account.xkqzvbt.com/', 'https://webmail.xkqzvbt.com/'])
      expect(codes(url), url).toContain('login_subdomain');
    expect(codes('https://account.gardenplot.com/')).not.toContain('login_subdomain');
  });

  it('calls a numbered mail server infrastructure, not mail. itself', () => {
    expect(codes('https://mail7.gardenplot.com/')).toContain('infrastructure_host');
    expect(codes('https://smtps.gardenplot.com/')).toContain('infrastructure_host');
    expect(codes('https://owa.gardenplot.com/')).toContain('infrastructure_host');
    expect(codes('https://mail.gardenplot.com/')).not.toContain('infrastructure_host');
  });

  it('sees a four-letter brand with odd letters glued on as imitation', () => {
    const found = codes('https://smbcqx.com/');
    expect(found).toContain('brand_in_host');
    expect(found).toContain('brand_with_fragment');
    expect(codes('https://smbcdns.com/')).not.toContain('brand_with_fragment');
  });

  it("finds Japan's mark joined to words outside .jp, not on .jp or as a whole label", () => {
    expect(japanTag(['gardenplot-jp'], 'com')).toBe('gardenplot-jp');
    expect(japanTag(['www', 'japan-gardenplot'], 'net')).toBe('japan-gardenplot');
    expect(codes('https://gardenplot-jp.com/')).toContain('japan_tag_host');
    for (const [labels, suffix] of [
      [['gardenplot-jp'], 'co.jp'],
      [['gardenplot-jp'], 'jp'],
      [['jp', 'gardenplot'], 'com'],
      [['gardenplotjp'], 'com'],
      [['japanese-garden'], 'com'],
    ] as const)
      expect(japanTag(labels, suffix), labels.join('.')).toBeNull();
    expect(codes('https://gardenplot-jp.co.jp/')).not.toContain('japan_tag_host');
    expect(codes('https://news-jp.gardenplot.com/')).not.toContain('japan_tag_host');
  });
});
