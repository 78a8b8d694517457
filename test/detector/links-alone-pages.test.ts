// Shapes of a link's path and query on its own (issue 10, item 4): parameters on a site's front page, as kits
// use to tell victims apart (front_page_query), and a longer share or tracking code as the whole path
// (short_code_path). How much each weighs is fitted (npm run fit); these tests pin what is found and what is not.
// Hosts are made up for the tests (none is from ../shared/eval).
import { describe, expect, it } from 'vitest';
import { useDetector } from '../support/detector.ts';
import { urlCodes } from '../support/verdict.ts';

const { analyze, check } = useDetector();

const codes = (text: string): string[] => urlCodes(check(text));

describe('front_page_query', () => {
  it('finds a parameter on the front page or its index file', () => {
    for (const url of [
      'https://gardenplot.com/?id=8a61f0c2',
      'https://gardenplot.com/index.php?info=20931',
      'https://www.gardenplot.net/?loginid=q1&time=3',
      'https://gardenplot.com/index.html?ab=1',
    ])
      expect(codes(url), url).toContain('front_page_query');
  });

  it('is not raised for a search, a page, a language or a campaign tag, a deeper page or a bare token', () => {
    for (const url of [
      'https://gardenplot.com/?q=seeds',
      'https://gardenplot.com/?p=123',
      'https://gardenplot.com/?lang=ja&page=2',
      'https://gardenplot.com/?utm_source=mail&utm_campaign=spring',
      'https://gardenplot.com/?id=3&utm_medium=sms',
      'https://gardenplot.com/shop/item.php?id=3',
      'https://gardenplot.com/?abc',
      'https://gardenplot.com/',
    ])
      expect(codes(url), url).not.toContain('front_page_query');
  });

  it('names the parameter in Japanese', () => {
    const v = analyze('https://gardenplot.com/?id=8a61f0c2');
    expect(v.reasons.map((r) => r.message).join('\n')).toContain('「?id=」');
  });
});

describe('a longer code as the whole path (short_code_path)', () => {
  it('finds digits, small and capital letters switching often', () => {
    for (const url of ['https://gardenplot.com/27QxaKd8ZPo', 'https://gardenplot.com/mdwqYEykOnkWu'])
      expect(codes(url), url).toContain('short_code_path');
  });

  it('is not raised for CamelCase names, words or plain ids', () => {
    for (const url of [
      'https://gardenplot.com/RhodesEnvInc',
      'https://gardenplot.com/QuienesSomos',
      'https://gardenplot.com/products',
      'https://gardenplot.com/20240517',
      'https://gardenplot.com/item/27QxaKd8ZPo',
    ])
      expect(codes(url), url).not.toContain('short_code_path');
  });
});
