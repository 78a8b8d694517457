// Two more shapes of a link sent on its own (issue 10, item 4): a brand's name with a meaningless fragment added
// to get a free registration (brand_with_fragment), and query parameter names grown from one stem, as phishing
// kits write them (chained_query_keys). How much each weighs is fitted (npm run fit); these tests pin what is
// found and what is not. Hosts are made up for the tests (none is from ../shared/eval).
import { describe, expect, it } from 'vitest';
import { useDetector } from '../support/detector.ts';
import { urlCodes } from '../support/verdict.ts';

const { analyze, check } = useDetector();

const codes = (text: string): string[] => urlCodes(check(text));

describe('brand_with_fragment', () => {
  it('finds a brand name with a letter, a scramble or a long number added', () => {
    for (const url of [
      'https://rakuten-zq.com/',
      'https://rakutenxq.com/',
      'https://amazon-48213907.com/',
      'https://rakuten-qzvbxkw.com/',
    ]) {
      expect(codes(url), url).toContain('brand_in_host');
      expect(codes(url), url).toContain('brand_with_fragment');
    }
  });

  it('is not raised for words beside the name, letters in front of it, or the brand elsewhere', () => {
    for (const url of [
      'https://rakuten-shop.com/',
      'https://rakutenmobile.com/',
      'https://rakuten-travel-guide.com/',
      'https://www.myrakuten.com/',
      'https://rakuten.example-host.com/',
      'https://gardenplot-zq.com/',
    ])
      expect(codes(url), url).not.toContain('brand_with_fragment');
  });

  it('says in Japanese what was added', () => {
    const v = analyze('https://rakuten-zq.com/');
    expect(v.reasons.map((r) => r.message).join('\n')).toContain('（zq）');
  });
});

describe('chained_query_keys', () => {
  it('finds parameter names lengthened from one stem', () => {
    for (const url of [
      'https://gardenplot.com/Page.aspx?kqzw=zx&kqzwab=&kqzwab1c9=',
      'https://www.gardenplot.net/view?r7t=1&r7tx2=',
    ])
      expect(codes(url), url).toContain('chained_query_keys');
  });

  it('is not raised for ordinary parameter names', () => {
    for (const url of [
      'https://shop.gardenplot.com/search?length_max=&length_min=&page=2',
      'https://gardenplot.com/list?page=2&pages=10',
      'https://gardenplot.com/list?from=top&fromType=menu',
      'https://gardenplot.com/list?sort=new&sort_order=desc',
      'https://gardenplot.com/list?q=tea&qs=1',
      'https://gardenplot.com/?utm_source=x&utm_medium=y',
    ])
      expect(codes(url), url).not.toContain('chained_query_keys');
  });
});
