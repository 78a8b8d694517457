// Realistic benchmark inputs: ~200-character SMS texts and ~20 KB mails, phishing and genuine, with and
// without links. Built from templates plus sentences of the evaluation sets, with a seeded generator so
// every run times the same texts. The texts only need to exercise the detector the way real traffic would;
// their verdicts are not checked here (that is `npm run eval`).
import { existsSync, readFileSync } from 'node:fs';

export interface Sample {
  text: string;
  phishing: boolean;
  hasLink: boolean;
}

type Rand = () => number;

/** mulberry32: small, fast, and good enough to vary texts. */
export function seeded(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rand, xs: ArrayLike<T>): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const chars = (r: Rand, n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') =>
  Array.from({ length: n }, () => pick(r, alphabet)).join('');

// --- brands, links, slot values ---

type Topic = 'delivery' | 'card' | 'bank' | 'carrier' | 'shop' | 'tax' | 'utility' | 'transit';

interface Brand {
  name: string;
  topic: Topic;
  /** What phishing hosts borrow (sagawa-exp.top, amazon-co-jp.xyz). */
  slug: string;
  /** Official site, for genuine links. */
  site: string;
  mail: string;
}

const BRANDS: Brand[] = [
  {
    name: '佐川急便',
    topic: 'delivery',
    slug: 'sagawa',
    site: 'www.sagawa-exp.co.jp',
    mail: 'sagawa-exp.co.jp',
  },
  {
    name: 'ヤマト運輸',
    topic: 'delivery',
    slug: 'kuronekoyamato',
    site: 'www.kuronekoyamato.co.jp',
    mail: 'kuronekoyamato.co.jp',
  },
  {
    name: '日本郵便',
    topic: 'delivery',
    slug: 'japanpost',
    site: 'www.post.japanpost.jp',
    mail: 'japanpost.jp',
  },
  {
    name: '三井住友カード',
    topic: 'card',
    slug: 'smbc-card',
    site: 'www.smbc-card.com',
    mail: 'vpass.ne.jp',
  },
  {
    name: '楽天カード',
    topic: 'card',
    slug: 'rakuten-card',
    site: 'www.rakuten-card.co.jp',
    mail: 'rakuten-card.co.jp',
  },
  { name: 'JCB', topic: 'card', slug: 'jcb', site: 'www.jcb.co.jp', mail: 'qa.jcb.co.jp' },
  { name: 'イオンカード', topic: 'card', slug: 'aeon', site: 'www.aeon.co.jp', mail: 'aeon.co.jp' },
  { name: '三菱UFJ銀行', topic: 'bank', slug: 'mufg', site: 'www.bk.mufg.jp', mail: 'bk.mufg.jp' },
  {
    name: 'ゆうちょ銀行',
    topic: 'bank',
    slug: 'jp-bank',
    site: 'www.jp-bank.japanpost.jp',
    mail: 'jp-bank.japanpost.jp',
  },
  { name: '三井住友銀行', topic: 'bank', slug: 'smbc', site: 'www.smbc.co.jp', mail: 'smbc.co.jp' },
  { name: 'au', topic: 'carrier', slug: 'au-kddi', site: 'www.au.com', mail: 'kddi.com' },
  { name: 'ドコモ', topic: 'carrier', slug: 'docomo', site: 'www.docomo.ne.jp', mail: 'docomo.ne.jp' },
  { name: 'ソフトバンク', topic: 'carrier', slug: 'softbank', site: 'www.softbank.jp', mail: 'softbank.jp' },
  { name: 'Amazon', topic: 'shop', slug: 'amazon', site: 'www.amazon.co.jp', mail: 'amazon.co.jp' },
  { name: 'メルカリ', topic: 'shop', slug: 'mercari', site: 'jp.mercari.com', mail: 'mercari.jp' },
  { name: '楽天市場', topic: 'shop', slug: 'rakuten', site: 'www.rakuten.co.jp', mail: 'rakuten.co.jp' },
  { name: '国税庁', topic: 'tax', slug: 'nta', site: 'www.nta.go.jp', mail: 'e-tax.nta.go.jp' },
  { name: '東京電力', topic: 'utility', slug: 'tepco', site: 'www.tepco.co.jp', mail: 'tepco.co.jp' },
  { name: 'えきねっと', topic: 'transit', slug: 'eki-net', site: 'www.eki-net.com', mail: 'eki-net.com' },
];

const SCAM_TLDS = ['top', 'xyz', 'icu', 'cn', 'shop', 'buzz', 'vip', 'cc', 'com', 'net', 'info', 'site'];
const SCAM_WORDS = ['login', 'secure', 'verify', 'account', 'jp', 'support', 'update', 'info', 'check'];
const SHORTENERS = ['bit.ly', 'cutt.ly', 't.co', 'is.gd', 'tinyurl.com'];

/** The many shapes of a phishing link: look-alike names, random hosts, shorteners, bare IPs, no scheme. */
function scamUrl(r: Rand, b: Brand): string {
  const path = pick(r, [
    '',
    '/',
    '/login',
    `/?id=${chars(r, 8)}`,
    `/${chars(r, 5)}/index.html`,
    '/jp/verify',
  ]);
  switch (int(r, 0, 7)) {
    case 0:
      return `https://${b.slug}-${pick(r, SCAM_WORDS)}.${pick(r, SCAM_TLDS)}${path}`;
    case 1:
      return `http://${chars(r, int(r, 5, 10))}.${b.slug}.${pick(r, SCAM_TLDS)}${path}`;
    case 2:
      return `https://${b.site.replace(/^www\./, '')}.${chars(r, 6)}.top${path}`;
    case 3:
      return `https://${pick(r, SHORTENERS)}/${chars(r, 7, 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`;
    case 4:
      return `http://${int(r, 11, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}/${b.slug}/`;
    case 5:
      return `http://${chars(r, 6)}.duckdns.org${path}`;
    case 6:
      return `https://${chars(r, int(r, 6, 12), 'bcdfghjklmnpqrstvwxz')}.${pick(r, SCAM_TLDS)}${path}`;
    default:
      return `${b.slug}-jp.${pick(r, SCAM_TLDS)}${path}`; // written without a scheme
  }
}

function officialUrl(r: Rand, b: Brand): string {
  return `https://${b.site}${pick(r, ['/', '/faq/', '/mypage/', `/info/${int(r, 100, 999)}.html`, '/support/'])}`;
}

const FAMILY = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '健一', '美咲', '翔太', '陽子', '大輔', 'さくら', '直樹', '由美'];
const PLACES = ['渋谷', '梅田', '名古屋駅前', '天神', '札幌駅', '横浜', '京都四条', '仙台'];

function slots(r: Rand, b: Brand, url: string): Record<string, string> {
  const month = int(r, 1, 12);
  return {
    brand: b.name,
    url,
    date: `${month}月${int(r, 1, 28)}日`,
    time: `${int(r, 8, 21)}:${String(int(r, 0, 59)).padStart(2, '0')}`,
    amount: `${int(r, 1, 98)},${String(int(r, 0, 999)).padStart(3, '0')}円`,
    code: String(int(r, 100000, 999999)),
    track: `${int(r, 1000, 9999)}-${int(r, 1000, 9999)}-${int(r, 1000, 9999)}`,
    phone: pick(r, [
      `050-${int(r, 1000, 9999)}-${int(r, 1000, 9999)}`,
      `0120-${int(r, 100, 999)}-${int(r, 100, 999)}`,
    ]),
    mobile: `0${pick(r, ['70', '80', '90'])}-${int(r, 1000, 9999)}-${int(r, 1000, 9999)}`,
    name: `${pick(r, FAMILY)}${pick(r, GIVEN)}`,
    family: pick(r, FAMILY),
    place: pick(r, PLACES),
    hours: String(pick(r, [12, 24, 48, 72])),
  };
}

const fill = (template: string, s: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, k) => s[k] ?? '');

// --- SMS templates: a head, filler sentences up to ~200 characters, then the tail (usually the link) ---

interface SmsTemplate {
  phishing: boolean;
  /** Brand topic, or null for personal messages. */
  topic: Topic | null;
  head: string;
  /** With {url} when the message carries a link. */
  tail: string;
}

const SMS: SmsTemplate[] = [
  // phishing
  {
    phishing: true,
    topic: 'delivery',
    head: '【{brand}】お荷物のお届けにあがりましたが不在の為持ち帰りました。',
    tail: '下記よりご確認ください {url}',
  },
  {
    phishing: true,
    topic: 'delivery',
    head: '{brand}:お客さまの住所情報が不明瞭のため配送できません。',
    tail: '正しい住所を更新してください 詳細:{url}',
  },
  {
    phishing: true,
    topic: 'delivery',
    head: 'お荷物のお届けにあがりましたが荷物に不備があり、受取人という確認ができませんでした。',
    tail: 'アプリを開いてご確認ください。',
  },
  {
    phishing: true,
    topic: 'delivery',
    head: '【{brand}】{date}配達予定のお荷物(伝票番号{track})は関税の支払いが必要です。',
    tail: '{hours}時間以内にお手続きを {url}',
  },
  {
    phishing: true,
    topic: 'card',
    head: '【{brand}】お客様のカードに第三者による不正利用の可能性がございます。',
    tail: 'ご利用確認はこちら {url}',
  },
  {
    phishing: true,
    topic: 'card',
    head: '{brand}より重要なお知らせ:カードのご利用を一時的に制限しております。',
    tail: '制限解除の手続き {url}',
  },
  {
    phishing: true,
    topic: 'bank',
    head: '【{brand}】お客様の口座が凍結されました。本人確認のため暗証番号とワンタイムパスワードの入力が必要です。',
    tail: '{url}',
  },
  {
    phishing: true,
    topic: 'bank',
    head: '{brand}です。不正送金の疑いがあるお取引を検知しました。',
    tail: '至急 {phone} までお電話ください。',
  },
  {
    phishing: true,
    topic: 'carrier',
    head: '【{brand}】ご利用料金のお支払い確認が取れておりません。本日中にご連絡が無い場合、法的手続きに移行します。',
    tail: '{phone}',
  },
  {
    phishing: true,
    topic: 'carrier',
    head: '【{brand}】お客様のポイント{amount}相当が本日で失効します。',
    tail: 'お受け取りはこちら {url}',
  },
  {
    phishing: true,
    topic: 'tax',
    head: '【{brand}】最終通知、未払い税金お支払いのお願い。{date}までにお支払いがない場合は差押えとなります。',
    tail: '詳細はこちら {url}',
  },
  {
    phishing: true,
    topic: 'tax',
    head: '【{brand}】所得税の還付金{amount}を受け取ることができます。',
    tail: '申請期限は{date}です {url}',
  },
  {
    phishing: true,
    topic: 'utility',
    head: '【{brand}】電気料金が未払いのため、{hours}時間以内に停止する予定です。',
    tail: 'お支払い {url}',
  },
  {
    phishing: true,
    topic: 'shop',
    head: '{brand}プライム会員の自動更新に失敗しました。お支払い方法を更新してください。',
    tail: '{url}',
  },
  {
    phishing: true,
    topic: 'shop',
    head: '【{brand}】お客様のアカウントに異常なログインがありました。アカウントはロックされています。',
    tail: '本人確認 {url}',
  },
  {
    phishing: true,
    topic: 'transit',
    head: '【{brand}】アカウントの自動退会処理について。{date}までにログインがない場合、ポイントは失効します。',
    tail: '{url}',
  },
  {
    phishing: true,
    topic: null,
    head: 'お母さん、携帯が壊れて番号が変わりました。こちらを登録しておいてね。',
    tail: 'LINEも新しくしたので追加して {mobile}',
  },
  {
    phishing: true,
    topic: null,
    head: '当選おめでとうございます!{amount}の賞金が確定しました。受け取り手続きは本日中です。',
    tail: '{url}',
  },
  // genuine
  {
    phishing: false,
    topic: 'shop',
    head: '{brand}: お客様のコードは{code}です。コードは共有しないでください。',
    tail: '',
  },
  {
    phishing: false,
    topic: 'card',
    head: '【{brand}】{date} {time} {amount}のご利用がありました。',
    tail: 'ご利用内容の確認は公式アプリから。',
  },
  {
    phishing: false,
    topic: 'card',
    head: '【{brand}】カードのご利用確認にご協力をお願いいたします。',
    tail: '{url}',
  },
  {
    phishing: false,
    topic: 'bank',
    head: '【{brand}】{date}、お客様の口座へ{amount}の振込入金がありました。',
    tail: '',
  },
  {
    phishing: false,
    topic: 'delivery',
    head: '{brand}です。{date}にお荷物(伝票番号{track})をお届けします。',
    tail: 'お届け日時の変更は {url}',
  },
  {
    phishing: false,
    topic: 'carrier',
    head: '【{brand}】{date}のご請求額は{amount}です。',
    tail: '明細は {url} でご確認いただけます。',
  },
  {
    phishing: false,
    topic: 'tax',
    head: '【{brand}】e-Taxのメッセージボックスに新しいお知らせがあります。',
    tail: 'ログインしてご確認ください。',
  },
  {
    phishing: false,
    topic: 'utility',
    head: '【{brand}】{date}に{place}周辺で計画作業を行います。作業中は一時的に停電する場合があります。',
    tail: '{url}',
  },
  {
    phishing: false,
    topic: null,
    head: '{family}です。明日の打ち合わせは{time}から{place}の会議室に変更になりました。',
    tail: '資料は共有フォルダに置いてあります。',
  },
  {
    phishing: false,
    topic: null,
    head: '{family}歯科です。{date} {time}のご予約を承っております。',
    tail: '変更の際は{phone}までご連絡ください。',
  },
  {
    phishing: false,
    topic: null,
    head: 'お疲れさま。今日は{time}ごろ{place}に着く予定です。',
    tail: '夕飯は外で食べよう。',
  },
  {
    phishing: false,
    topic: null,
    head: '【{place}クリニック】ワクチン接種のご予約日が近づいています。',
    tail: '',
  },
  {
    phishing: false,
    topic: 'transit',
    head: '【{brand}】{date}の新幹線のご予約を承りました。',
    tail: '予約内容は {url} から確認できます。',
  },
  {
    phishing: false,
    topic: null,
    head: '{place}店より:本日{time}まで全品10%オフのセールを開催中です。',
    tail: '配信停止は店頭まで。',
  },
];

export const SMS_TEMPLATES = SMS.length;

/** Sentences that make up the rest of a message, genuine and phishing kept apart. */
const OWN_FILLER = {
  phishing: [
    'ご確認いただけない場合、サービスのご利用が停止されます。',
    '本メッセージは重要なお知らせのため、配信を停止することはできません。',
    'セキュリティ強化のため、お客様情報の再登録をお願いしております。',
    '期限を過ぎますとアカウントが永久に凍結されますのでご注意ください。',
    'ご不便をおかけしますが、何卒よろしくお願い申し上げます。',
    'ご登録のクレジットカード情報に誤りがある可能性がございます。',
    '手続きは数分で完了します。',
  ],
  genuine: [
    'ご不明な点はお問い合わせ窓口までご連絡ください。',
    '本メッセージは送信専用です。',
    'いつもご利用いただきありがとうございます。',
    'このメッセージに心当たりがない場合は破棄してください。',
    '今後ともよろしくお願いいたします。',
    '天気が崩れそうなので傘を持っていってね。',
    '駅の改札で待ってます。',
    'ご来店を心よりお待ちしております。',
  ],
};

/** Sentences of the evaluation sets (../shared/eval), when they are there, with their links removed. */
function evalSentences(file: string): string[] {
  const path = new URL(`../../../../shared/eval/${file}`, import.meta.url);
  if (!existsSync(path)) return [];
  const out: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { text } = JSON.parse(line) as { text: string };
    for (const s of text.replace(/h?ttps?:\/\/\S*/g, '').split(/(?<=[。!?！？])|\n/)) {
      const t = s.trim();
      if (t.length >= 8 && t.length <= 120) out.push(t);
    }
  }
  return out;
}

let fillers: { phishing: string[]; genuine: string[] } | undefined;
function fillerPool() {
  fillers ??= {
    phishing: [...OWN_FILLER.phishing, ...evalSentences('phish_texts.jsonl')],
    genuine: [...OWN_FILLER.genuine, ...evalSentences('legit_texts.jsonl')],
  };
  return fillers;
}

function brandFor(r: Rand, topic: Topic | null): Brand {
  const fits = topic ? BRANDS.filter((b) => b.topic === topic) : BRANDS;
  return pick(r, fits);
}

/** `count` SMS texts of 180–220 characters, about half phishing, most with a link or phone number. */
export function smsCorpus(count: number, seed = 1): Sample[] {
  const r = seeded(seed);
  const pool = fillerPool();
  const out: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const t = pick(r, SMS);
    const b = brandFor(r, t.topic);
    const s = slots(r, b, t.phishing ? scamUrl(r, b) : officialUrl(r, b));
    const head = fill(t.head, s);
    const tail = fill(t.tail, s);
    const target = int(r, 180, 220);
    const sentences = t.phishing ? pool.phishing : pool.genuine;
    let middle = '';
    while (head.length + middle.length + tail.length < target) middle += pick(r, sentences);
    // Cut the filler, never the link, to land on the target length.
    middle = middle.slice(0, Math.max(0, target - head.length - tail.length));
    out.push({
      text: tail ? `${head}${middle}\n${tail}` : head + middle,
      phishing: t.phishing,
      hasLink: t.tail.includes('{url}'),
    });
  }
  return out;
}

// --- mails: pasted headers, a greeting, paragraphs and a dozen links up to ~20 KB (UTF-8) ---

const MAIL_PARAGRAPHS = {
  genuine: [
    'いつも{brand}をご利用いただき、誠にありがとうございます。本メールは、ご登録いただいたメールアドレスへお送りしている定期配信のお知らせです。',
    '■今月のキャンペーン\n期間中、対象のお支払いでポイントが最大10倍になります。エントリーは不要です。ポイントの付与は{date}頃を予定しております。付与されたポイントの有効期限は付与日から1年間です。',
    '■システムメンテナンスのお知らせ\n{date} 1:00〜6:00の間、システムメンテナンスのため各種サービスをご利用いただけません。ご迷惑をおかけしますが、ご理解とご協力をお願いいたします。',
    '■個人情報の取り扱いについて\n当社は、お客様の個人情報を適切に管理し、ご本人の同意なく第三者に提供することはありません。詳しくはプライバシーポリシーをご覧ください。',
    '◇ご注文番号:{track}\n◇ご注文日:{date}\n◇お支払い方法:クレジットカード\n◇商品合計:{amount}\n◇送料:0円\n◇ご請求額:{amount}',
    '【お届け予定】{date} 午前中\n配送状況は、商品の発送後にお知らせする伝票番号でご確認いただけます。お届け日時の変更は配送業者のサイトから承ります。',
    '※このメールアドレスは送信専用です。ご返信いただいてもお答えできませんので、あらかじめご了承ください。',
    '※本メールにお心当たりのない場合は、お手数ですが本メールを破棄してください。第三者がメールアドレスを誤って登録した可能性がございます。',
    '今月のおすすめ:季節の特集では、{place}の人気店が選んだ食材やギフトを多数ご紹介しています。数量限定の商品もございますので、お早めにご覧ください。',
    '{brand}では、パスワードやカード番号をメールやSMSでお尋ねすることはありません。不審なメールを受け取った場合は、リンクを開かずに削除してください。',
    '【ご利用明細】\nご利用日:{date}\nご利用先:{place}ストア\nご利用金額:{amount}\nお支払区分:1回払い\nお支払日:翌月26日',
    'アプリでは、ご利用明細の確認、お支払い方法の変更、各種お手続きが24時間いつでもご利用いただけます。最新版へのアップデートをお願いいたします。',
  ],
  phishing: [
    'お客様のアカウントで異常なアクセスが検出されました。安全のため、下記の手順でアカウント情報の確認をお願い申し上げます。',
    '昨今の第三者不正利用の急増に伴い、弊社では「不正利用監視システム」を導入し、24時間365日体制でカードのご利用に対するモニタリングを行っております。',
    'このたび、ご本人様のご利用かどうかを確認させていただきたいお取引がありましたので、誠に勝手ながらカードのご利用を一部制限させていただきました。',
    '{hours}時間以内にご確認いただけない場合、アカウントの利用を停止させていただきます。ご不便をおかけしますが、何卒ご理解いただけますようお願い申し上げます。',
    'ご登録のお支払い方法に問題があったため、サービスをご利用いただけません。問題が解決されない場合、会員登録はキャンセルとなります。',
    '■ご利用確認が必要なお取引\nご利用日時:{date} {time}\nご利用金額:{amount}\nご利用先:APPLE.COM/BILL',
    '本人確認の手続きには、カード番号、有効期限、セキュリティコード、暗証番号、生年月日が必要です。お手元にご用意のうえお手続きください。',
    '※本メールは重要なお知らせのため、メール配信を停止されているお客様にもお送りしております。',
  ],
};

const LINK_LABELS = [
  '▼ログインはこちら',
  '▼詳しくはこちら',
  '▼ご利用明細の確認',
  '▼お手続きはこちら',
  '▼よくあるご質問',
  '▼キャンペーン詳細',
];

function mailHeaders(r: Rand, b: Brand, phishing: boolean, subject: string): string {
  const to = `${chars(r, int(r, 5, 10), 'abcdefghijklmnopqrstuvwxyz')}@${pick(r, ['example.ne.jp', 'docomo.ne.jp', 'gmail.com', 'icloud.com'])}`;
  const fromDomain = phishing
    ? pick(r, [
        `${b.slug}-${pick(r, SCAM_WORDS)}.${pick(r, SCAM_TLDS)}`,
        `${b.mail}.${chars(r, 5)}.cn`,
        'mail.ru',
      ])
    : b.mail;
  const from = `${pick(r, ['info', 'no-reply', 'support', 'account-update', 'mail'])}@${fromDomain}`;
  const auth = phishing
    ? 'spf=softfail smtp.mailfrom=' + fromDomain + '; dkim=none; dmarc=fail'
    : `spf=pass smtp.mailfrom=${fromDomain}; dkim=pass header.d=${fromDomain}; dmarc=pass`;
  const lines = [
    `From: "${b.name}" <${from}>`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: Tue, ${int(r, 1, 28)} May 2025 ${int(r, 10, 23)}:${int(r, 10, 59)}:${int(r, 10, 59)} +0900`,
    `Message-ID: <${chars(r, 16)}@${fromDomain}>`,
    `Return-Path: <bounce-${chars(r, 8)}@${fromDomain}>`,
    `Authentication-Results: mx.example.ne.jp; ${auth}`,
  ];
  if (phishing && r() < 0.5)
    lines.push(`Reply-To: ${chars(r, 8)}@${pick(r, ['gmail.com', 'outlook.com', 'qq.com'])}`);
  return lines.join('\n');
}

const SUBJECTS = {
  genuine: [
    '【{brand}】ご利用のお知らせ',
    '【{brand}】ご注文内容の確認',
    '{brand}ニュースレター {date}号',
    '【{brand}】メンテナンスのお知らせ',
  ],
  phishing: [
    '【重要】{brand}アカウントの緊急確認',
    '<重要>【{brand}】ご利用確認のお願い',
    '【{brand}】お支払い方法の更新が必要です',
    '{brand}セキュリティ通知',
  ],
};

/** About 20 KB (UTF-8) per mail; at most this many bytes. */
const MAIL_BYTES = 20 * 1024;

/** `count` mails of 19.5–20 KB with pasted headers and 12 links, half of them phishing. */
export function mailCorpus(count: number, seed = 2): Sample[] {
  const r = seeded(seed);
  const out: Sample[] = [];
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < count; i++) {
    const phishing = i % 2 === 0;
    const b = pick(r, BRANDS);
    const s = slots(r, b, '');
    const kind = phishing ? 'phishing' : 'genuine';
    const header = mailHeaders(r, b, phishing, fill(pick(r, SUBJECTS[kind]), s));
    const footer = `\n\n■発行者■\n${b.name}\nhttps://${b.site}/`;
    const parts = [header, '', `${s.name} 様`, ''];
    let size = bytes(parts.join('\n') + footer);
    const linkEvery = 3; // a dozen links over the first ~36 of ~45 paragraphs
    for (let p = 0, links = 0; ; p++) {
      let block = fill(pick(r, MAIL_PARAGRAPHS[kind]), s);
      if (p % linkEvery === linkEvery - 1 && links < 12) {
        links++;
        // Genuine mails link to the brand's site; phishing ones mostly elsewhere, sometimes to the real site.
        const url = phishing && r() < 0.75 ? scamUrl(r, b) : officialUrl(r, b);
        block += `\n\n${pick(r, LINK_LABELS)}\n${url}`;
      }
      const room = MAIL_BYTES - size - 2;
      if (bytes(block) > room) {
        // The last paragraph is cut to fit (3 bytes per Japanese character is a safe bound).
        parts.push(block.slice(0, Math.floor(room / 3)));
        break;
      }
      parts.push(block, '');
      size += bytes(block) + 2;
    }
    out.push({ text: parts.join('\n') + footer, phishing, hasLink: true });
  }
  return out;
}
