// Domains only public bodies hold in Japan (rules/domains.yaml government_zones and local_government_domains):
// a link there is the body's own site; a name that only looks like one is not, whatever it carries.
import { describe, expect, it } from 'vitest';
import { useDetector } from '../support/detector.ts';

const { check } = useDetector();

/** Whether a bare link is read as a public body's own site. */
function publicSite(url: string): boolean {
  const v = check(url);
  expect(v.urls, url).toHaveLength(1);
  return v.urls[0]!.official && v.urls[0]!.codes.includes('government_domain');
}

describe('public bodies’ own domains', () => {
  it.each([
    'https://www.police.pref.kanagawa.jp/', // a prefecture's police under pref.<県>.jp
    'https://pref.kumamoto.jp/',
    'https://www.metro.tokyo.jp/',
    'https://www.city.sapporo.jp/', // a designated city: city.<市>.jp
    'https://www.city.chiba.jp/', // a designated city named like its prefecture
    'https://www.city.minato.tokyo.jp/', // a ward: city.<区>.<都>.jp
    'https://www.town.hinode.tokyo.jp/',
    'https://www.vill.hinohara.tokyo.jp/',
    'https://www.police.pref.osaka.lg.jp/',
    'https://www.caa.go.jp/',
  ])('%s is a public body’s own site', (url) => expect(publicSite(url)).toBe(true));

  it.each([
    'https://police-pref-kanagawa.com/', // the words, not the name
    'https://pref-chiba.tokyo.jp/kyufu', // a prefecture-type name anyone may register
    'https://police.pref.kanagawa.jp.example.cn/', // the registrable domain decides
    'https://city.co.jp/', // an organisation type, not a place
    'https://city.jp/', // .jp itself: anyone's
    'https://www.city.sakai.jp/', // sakai.jp is a general .jp name, not a designated city's zone
    'https://go.jp/', // the zone itself is no body's site
    'https://www.city.minato.tokyo.jp/out?url=https://amazon-verify.top/', // hands the reader on
  ])('%s is not', (url) => expect(publicSite(url)).toBe(false));
});

describe('a public body’s site as the channel of a message', () => {
  it('is the channel of a bulletin that names no company, and the card says whose it is', () => {
    const v = check(
      '【〇〇県警察】警察官を名乗り「キャッシュカードを預かる」という電話が多発しています。詳しくは県警ホームページをご覧ください。 https://www.police.pref.kanagawa.jp/',
    );
    expect(v.risk).toBe('low');
    const why = v.reasons.find((r) => r.code === 'official_channels_only');
    expect(why?.message).toContain('国や自治体');
    expect(why?.message).toContain('www.police.pref.kanagawa.jp');
  });

  it('is not a company’s channel', () => {
    const v = check(
      '【Amazon】お支払い方法に問題があります。至急更新してください https://www.city.minato.tokyo.jp/',
    );
    expect(v.reasons.map((r) => r.code)).not.toContain('official_channels_only');
    expect(v.risk).not.toBe('low');
  });

  it('sends a mail from a city’s own domain as official, and one from a look-alike not', () => {
    const mail = (from: string) =>
      check(
        `From: 〇〇市役所 <${from}>\nSubject: お知らせ\n\n市民課からのお知らせです。窓口の受付時間が変わります。`,
      );
    expect(mail('info@city.naha.okinawa.jp').emails[0]?.official).toBe(true);
    expect(mail('info@city-naha-okinawa.com').emails[0]?.official).toBe(false);
  });
});
