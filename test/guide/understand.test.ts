// What people say they did → intents (rules/intents.yaml over kuromoji dictionary forms).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGuide, type Guide } from '../../src/guide/load.ts';
import { looksForwarded, navFor, understand } from '../../src/guide/understand.ts';

let guide: Guide;
beforeAll(async () => {
  guide = await loadGuide();
});
const intents = (text: string) => understand(guide.matcher, text).intents;

describe('one action, many phrasings', () => {
  const cases: [string, string[]][] = [
    [
      'opened_link',
      [
        'リンクを開いてしまった',
        'URLを押しちゃいました',
        'クリックしてしまいました',
        'リンクをタップした',
        'サイトにアクセスしました',
      ],
    ],
    [
      'entered_card',
      [
        'カード番号を入力してしまいました',
        'クレジットカードの情報を入れちゃった',
        'セキュリティコードまで打ち込んだ',
        'クレカの番号を登録してしまった',
        'カードで支払いました',
      ],
    ],
    [
      'entered_password',
      [
        'パスワードを入力してしまった',
        'IDとパスワードを入れました',
        'ログインしてしまいました',
        'アカウントのパスワードを教えた',
      ],
    ],
    [
      'entered_bank',
      [
        'ネットバンキングの暗証番号を入れてしまった',
        'ワンタイムパスワードを教えてしまいました',
        '認証番号を入力してしまった',
        '口座番号と暗証番号を入力した',
      ],
    ],
    [
      'code_sent',
      ['LINEの認証番号を教えてしまった', '認証番号を伝えてしまった', 'コードを送ってしまいました'],
    ],
    [
      'entered_personal',
      [
        '住所と生年月日を入力した',
        '名前と電話番号を送ってしまいました',
        '免許証の写真を撮って送った',
        '個人情報を入れてしまった',
      ],
    ],
    [
      'money_sent',
      [
        'お金を振り込んでしまった',
        '5万円振り込みました',
        '言われた口座に送金した',
        '手数料を払ってしまいました',
      ],
    ],
    [
      'gift_card',
      [
        'ギフトカードを買って番号を教えた',
        'コンビニでアマギフを買いました',
        'Appleギフトカードのコードを送った',
        'プリペイドカードを購入した',
      ],
    ],
    ['carrier_billing', ['キャリア決済で払ってしまった', 'd払いで支払いました', '携帯料金で払った']],
    [
      'app_installed',
      [
        'アプリをインストールした',
        'アプリを入れてしまいました',
        'プロファイルを入れた',
        'APKをダウンロードしてしまった',
      ],
    ],
    [
      'called_number',
      ['書いてあった番号に電話した', '電話をかけてしまいました', '電話しちゃった', '折り返し電話しました'],
    ],
    ['replied', ['SMSに返信した', '返信してしまいました', 'メールに返事をした']],
    [
      'nothing_done',
      [
        'まだ何もしていません',
        '何もしてない',
        'メールを開いただけです',
        '見ただけです',
        'リンクは押していません',
      ],
    ],
  ];
  for (const [intent, phrasings] of cases) {
    it(intent, () => {
      for (const p of phrasings) expect(intents(p), p).toEqual([intent]);
    });
  }
});

describe('several actions in one message', () => {
  it('finds each, most damaging first', () => {
    expect(intents('リンクを開いてカード番号も入れた')).toEqual(['entered_card', 'opened_link']);
    expect(intents('カード番号とパスワードを入力してしまいました')).toEqual([
      'entered_card',
      'entered_password',
    ]);
    expect(intents('アプリを入れて、銀行の暗証番号も入力した')).toEqual(['entered_bank', 'app_installed']);
    expect(intents('電話をかけて、言われるままに振り込んでしまった')).toEqual([
      'money_sent',
      'called_number',
    ]);
    expect(intents('Amazonのリンクを開いてカード情報を入力してしまいました。どうすればいいですか')).toEqual([
      'entered_card',
      'opened_link',
    ]);
  });

  it('takes the place of an act as where, not what (サイトに, アプリに)', () => {
    expect(intents('サイトにパスワードを入れた')).toEqual(['entered_password']);
    expect(intents('アプリにカード番号を入れた')).toEqual(['entered_card']);
  });
});

describe('negation and things not done', () => {
  it('reads "did not" as nothing done', () => {
    expect(intents('まだ何も入力していない')).toEqual(['nothing_done']);
    expect(intents('カード番号は入れていません')).toEqual(['nothing_done']);
    expect(intents('押さずに削除しました')).toEqual(['nothing_done']);
    expect(intents('リンクは開かなかった')).toEqual(['nothing_done']);
  });

  it('keeps what was done next to what was not', () => {
    expect(intents('リンクは開いたけど何も入力していません')).toEqual(['opened_link']);
    expect(intents('パスワードは入れてないけどカード番号は入れた')).toEqual(['entered_card']);
    expect(intents('開いただけで何も入力していない')).toEqual(['opened_link']);
  });

  it('ignores acts that were asked for, planned, hypothetical or done by someone else', () => {
    for (const t of [
      'パスワードを入力してくださいと書いてある',
      'リンクを開いても大丈夫？',
      '入力する前に気づいた',
      'カード番号を入れようとしてやめた',
      'SMSが送られてきた',
      '新しい端末からログインがありました',
      '家族に伝えた',
      '電話がかかってきた',
    ])
      expect(understand(guide.matcher, t), t).toMatchObject({ intents: [], enteredUnknown: false });
  });
});

describe('other meanings', () => {
  it('entered something without saying what', () => {
    for (const t of ['入力してしまった', '情報を入力した', '番号を教えてしまいました']) {
      expect(understand(guide.matcher, t), t).toMatchObject({ intents: [], enteredUnknown: true });
    }
    expect(understand(guide.matcher, 'リンクを開いて入力してしまった')).toMatchObject({
      intents: ['opened_link'],
      enteredUnknown: true,
    });
  });

  it('an answer to "what did you enter?" needs no verb', () => {
    expect(understand(guide.matcher, 'カード番号です', 'enter').intents).toEqual(['entered_card']);
    expect(understand(guide.matcher, '住所と電話番号', 'enter').intents).toEqual(['entered_personal']);
    expect(understand(guide.matcher, 'カード番号です').intents).toEqual([]);
  });

  it('asking what to do, asking for the memo, reporting a call to a helpline', () => {
    for (const t of ['どうすればいい？', 'どうしたらいいですか', '何をすればいいですか', '助けてください'])
      expect(understand(guide.matcher, t).help, t).toBe(true);
    for (const t of ['相談メモを作って', 'メモをください', '記録を作ってください'])
      expect(understand(guide.matcher, t).memo, t).toBe(true);
    for (const t of [
      'カード会社に電話しました',
      '警察に相談しました',
      '188に電話しました',
      '#9110に相談した',
    ]) {
      const u = understand(guide.matcher, t);
      expect(u, t).toMatchObject({ contacted: true, intents: [] });
    }
  });

  it('typed step buttons, only as the whole message', () => {
    expect(navFor(guide.matcher, 'できました！')).toBe('done');
    expect(navFor(guide.matcher, '次へ')).toBe('next');
    expect(navFor(guide.matcher, 'まとめて見る')).toBe('all');
    expect(navFor(guide.matcher, '最初からお願いします')).toBe('restart');
    expect(navFor(guide.matcher, 'カードを止めることができました')).toBeNull();
  });
});

describe('forwarded messages are not read as answers', () => {
  it('links, addresses, phone numbers and notice wording', () => {
    for (const t of [
      '【Amazon】お支払い方法に問題があります。カード情報を入力してください https://amazon-co-jp.xyz/',
      'お客様のアカウントにログインがありました。ご確認ください',
      'カード番号を入力しました。050-1234-5678まで',
      'info@example.jp にパスワードを送った',
      'amazon.co.jp でパスワードを入れた',
    ])
      expect(looksForwarded(guide.matcher, t), t).toBe(true);
    for (const t of ['リンクを開いてカード番号も入れた', 'どうすればいい？', 'まだ何もしていません'])
      expect(looksForwarded(guide.matcher, t), t).toBe(false);
  });
});
