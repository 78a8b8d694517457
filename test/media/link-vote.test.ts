// The vote between readings of one link (src/media/link-vote.ts): pure, on readings as the two models
// made them of realistic screenshots (made-up hosts).
import { describe, expect, it } from 'vitest';
import { voteReadings, type Reading } from '../../src/media/link-vote.ts';

/** English pass, Japanese pass over the page, Japanese over the crop, English over the second crop. */
const four = (eng: string, jpnPage: string, jpnCrop: string, eng2: string): Reading[] => [
  { text: eng, model: 'eng' },
  { text: jpnPage, model: 'jpn' },
  { text: jpnCrop, model: 'jpn' },
  { text: eng2, model: 'eng' },
];

describe('voting between readings of a link', () => {
  it('keeps what most readings have: a letter one model added or doubled is dropped', () => {
    expect(
      voteReadings(
        four(
          'Www.Ssagawa-exp.co.jp/',
          'WWW.Sagawa-exp.Cco.jp/',
          'WWW.Sagawa-exp.Cco.jp/',
          'WWWw.sagawa-exp.co.jp/',
        ),
      ).toLowerCase(),
    ).toBe('www.sagawa-exp.co.jp/');
  });

  it('on a tie, keeps no added character, and a small letter over a capital', () => {
    expect(voteReadings(four('UB4qgF4w', 'UB4qF4w', 'UB4qF4w', 'UB4qgF4w'))).toBe('UB4qF4w');
    expect(
      voteReadings(
        four(
          'www.post.japanpost.jp/support/',
          'WWW.DOSC.japanpost.jp/support/',
          'WWW.DOSt.japanpost.jp/Support/',
          'www.post.japanpost.jp/support/',
        ),
      ),
    ).toBe('www.post.japanpost.jp/support/');
  });

  it('on a tie between two small letters, takes the Japanese model’s (the English one reads c as e, q as g)', () => {
    expect(
      voteReadings(
        four(
          'dwspvdxkeb.cc/jp/verify',
          'dwspvdxkcb.cc/jp/verify',
          'dwspvdxkcb.cc/jp/verify',
          'dwspvdxkeb.cc/jp/verify',
        ),
      ),
    ).toBe('dwspvdxkcb.cc/jp/verify');
    expect(voteReadings(four('fag/@', 'faqd/', 'faq/', 'fag/T'))).toBe('faq/');
    // The English model's g for this font's q, read so on both crops, and by the Japanese one on the crop.
    expect(
      voteReadings(
        four(
          'gebhiv.smbc-card.info/',
          'qebhiv.smbc-card.info/',
          'gebhiv.smbc-card.info/',
          'gebhiv.smbc-card.info/',
        ),
      ),
    ).toBe('qebhiv.smbc-card.info/');
    expect(
      voteReadings(
        four(
          'pegm3oomb5.aeon.site/',
          'peqm3oom5.aeon.site/',
          'pedm3oom5.aeon.site/',
          'pegm3oomb5.aeon.site/',
        ),
      ),
    ).toBe('peqm3oom5.aeon.site/');
    expect(voteReadings(four('sagawa.jp/', 'sagawa.jp/', 'sagawa.jp/', 'saqawa.jp/'))).toBe('sagawa.jp/');
    // A digit against a small letter is no capital against a small one.
    expect(voteReadings(four('id=0ubmn1cx', 'id=0u6mn1cx', 'id=0u6mn1cx', 'id=0ubmn1cx'))).toBe(
      'id=0u6mn1cx',
    );
  });

  it('keeps the case a path was read in where the readings agree, and the most trusted reading’s otherwise', () => {
    expect(voteReadings(four('is.gd/Ab3Kx', 'is.gd/Ab3Kx', 'is.gd/Ab3Kx', 'is.gd/Ab3Kx'))).toBe(
      'is.gd/Ab3Kx',
    );
    expect(voteReadings(four('x.jp/ABc', 'x.jp/abc', 'x.jp/abc', 'x.jp/ABc'))).toBe('x.jp/ABc');
  });

  it('keeps a dot half the readings have: one model may miss it, none doubles it', () => {
    const eng = 'https://eki-net.com.3cxkbf.top/';
    const jpn = 'https://eki-net.com.3cxkbftop/';
    expect(voteReadings(four(eng, jpn, jpn, eng))).toBe(eng);
    expect(voteReadings(four(jpn, eng, eng, jpn))).toBe(eng);
  });

  it('reads www. as three w when another reading has three', () => {
    expect(
      voteReadings(four('wwww.example.com/', 'wwww.example.com/', 'www.example.com/', 'wwww.example.com/')),
    ).toBe('www.example.com/');
    // A host that really starts with four w (every reading has them) stays.
    expect(
      voteReadings(four('wwww.example.com/', 'wwww.example.com/', 'wwww.example.com/', 'wwww.example.com/')),
    ).toBe('wwww.example.com/');
  });

  it('returns the most trusted reading when fewer than three were made, and cuts very long readings', () => {
    expect(
      voteReadings([
        { text: 'a.jp/x', model: 'eng' },
        { text: 'a.jp/y', model: 'jpn' },
      ]),
    ).toBe('a.jp/x');
    const long = `https://example.com/${'a'.repeat(5000)}`;
    expect(voteReadings(four(long, long, long, long)).length).toBeLessThanOrEqual(300);
  });
});
