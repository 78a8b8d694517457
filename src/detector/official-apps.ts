// The named organisation's own app or member site, given as the place to check (「MyJCBにログインのうえ」,
// 「楽天カードアプリでご確認ください」), or the organisation itself as the one to ask: channels the reader opens on
// their own, like a bookmark, so a notice that sends you only there is judged by where it sends you. App names come
// from rules/brands.yaml `apps`, each with the brand's own page that names it.
import type { CompiledBrand } from './compile.ts';
import { lowerOf } from './lower-case.ts';

/** What follows a place you go to: で, から, より, にて, にログイン, を開, or a screen in it (の「注文履歴」から,
 * のヘルプから, の設定画面で, の「お知らせ」をご確認). */
const THERE = String.raw`(?:で|から|より|にて|に\s?ログイン|を開|の\s?(?:[「『][^「」『』\n]{1,20}[」』]\s?(?:を\s?ご?確認|をご覧)|(?:[「『][^「」『』\n]{1,20}[」』]|(?:ヘルプ|設定|ホーム|トップ|メニュー|マイページ|お問い合わせ|お知らせ|チャット)[^、。\n「」]{0,6}?)\s?(?:で|から|より|を開)))`;

/** After an app's or member site's name: アプリ, or the place itself (「Vpassアプリ」「MyJCBにログイン」). */
const GO_THERE = new RegExp(String.raw`^\s?(?:の?アプリ|${THERE})`);

/** After the brand's own name: its app as the place (「PayPay銀行アプリで」「メルカリアプリの「お知らせ」を」). */
const OWN_APP = new RegExp(String.raw`^\s?の?(?:公式)?アプリ\s?${THERE}`);

/** The brand's own site or member page as the place to go: 「SBI証券のサイトにログインして」「楽天の公式サイトから」. */
const OWN_SITE =
  /^\s?の\s?(?:公式)?(?:サイト|ホームページ|ウェブサイト|webサイト|会員サイト|会員ページ|マイページ)\s?(?:で|から|より|にて|に\s?ログイン|を開)/i;

/** 「ゆうちょ銀行にお問い合わせください」 with no number: the reader contacts the company by their own means. */
const ASK_THEM = /^\s?(?:に|へ|まで)\s?(?:お問い合わせ|お問合せ|お問い合せ|ご連絡|ご相談)/;

/**
 * The brand's own app or member site named as the place to go, or the brand itself named as the one to ask
 * (the reader finds its number on their own), or null.
 */
export function ownChannelNamed(brand: CompiledBrand, prose: string): string | null {
  const lower = lowerOf(prose);
  const { apps, aliases, myPages } = namesOf(brand);
  return (
    followedBy(lower, prose, apps, GO_THERE) ??
    followedBy(lower, prose, myPages, GO_THERE) ??
    followedBy(lower, prose, aliases, OWN_APP) ??
    followedBy(lower, prose, aliases, OWN_SITE) ??
    // (「LINEまでご連絡ください」 is a chat with whoever wrote, not the company.)
    (brand.rule.messenger ? null : followedBy(lower, prose, aliases, ASK_THEM))
  );
}

const brandNames = new WeakMap<CompiledBrand, { apps: string[]; aliases: string[]; myPages: string[] }>();

/** The names ownChannelNamed looks for, per brand, worked out once. */
function namesOf(brand: CompiledBrand): { apps: string[]; aliases: string[]; myPages: string[] } {
  let names = brandNames.get(brand);
  if (!names) {
    const aliases = brand.aliases.map((a) => a.text);
    names = {
      apps: brand.rule.apps.map((a) => a.name.normalize('NFKC').toLowerCase()),
      aliases,
      // 「My {brand}」 is how Japanese companies name their member site (My docomo, My Y!mobile, my 楽天モバイル).
      myPages: aliases.flatMap((a) => [`my ${a}`, `my${a}`]),
    };
    brandNames.set(brand, names);
  }
  return names;
}

function followedBy(lower: string, prose: string, names: string[], after: RegExp): string | null {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    let from = 0;
    for (let n = 0; n < 20; n++) {
      const at = lower.indexOf(name, from);
      if (at < 0) break;
      from = at + name.length;
      if (after.test(lower.slice(from, from + 30))) return prose.slice(at, from);
    }
  }
  return null;
}
