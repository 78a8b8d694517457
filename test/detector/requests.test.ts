// What a message asks and where it leads (src/detector/actions.ts), warnings about scams, the person-to-person
// scam stories, and who the message claims to be. Texts are written for these tests, not taken from the eval sets.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/detector/index.ts';
import { useDetector } from '../support/detector.ts';
import { reasonCodes } from '../support/verdict.ts';

const { check } = useDetector();

const flagged = (v: Verdict) => v.risk === 'high' || v.risk === 'medium';

describe('requests that lead to the organisation’s own channels', () => {
  const notice =
    '【楽天】楽天会員のアカウントに新しい端末からログインがありました。心当たりがない場合は、すぐにパスワードを変更してください。';

  it('keeps a security notice that sends you to the brand’s own site calm, and says why', () => {
    const v = check(`${notice} https://www.rakuten.co.jp/`);
    expect(v.risk).toBe('low');
    expect(reasonCodes(v)).toContain('official_channels_only');
    expect(reasonCodes(v)).not.toContain('brand_pressure');
    const why = v.reasons.find((r) => r.code === 'official_channels_only')!;
    expect(why.message).toContain('rakuten.co.jp');
    expect(why.severity).toBe('info');
  });

  it('flags the same words when the link leads elsewhere', () => {
    const v = check(`${notice} https://rakuten-login-check.com/`);
    expect(v.risk).toBe('high');
    expect(reasonCodes(v)).toContain('brand_domain_mismatch');
    expect(reasonCodes(v)).not.toContain('official_channels_only');
  });

  it('does not apply a brand’s “we never …” statement to a message that only leads to the brand', () => {
    const v = check(
      '【国税庁】e-Taxの税務署からのお知らせです。未払いの税金について、e-Taxにログインしてメッセージボックスをご確認ください。 https://www.e-tax.nta.go.jp/',
    );
    expect(reasonCodes(v)).not.toContain('brand_never_does');
    expect(v.risk).not.toBe('high');
  });

  it('keeps a one-time-code notice low even though it names a code', () => {
    const v = check('【セキュリティコード】123456 このコードは誰にも教えないでください。PayPay');
    expect(v.risk).toBe('low');
    expect(reasonCodes(v)).toContain('one_time_code_notice');
    expect(reasonCodes(v)).not.toContain('credential_request');
  });
});

describe('warnings about scams', () => {
  it('judges a police bulletin by what it asks, not by the scam wording it quotes', () => {
    const v = check(
      '【〇〇警察署からのお知らせ】警察官を名乗り「あなたの口座が犯罪に利用されている。保釈金を振り込んでください」という電話が相次いでいます。警察がお金を求めることはありません。不審な電話はすぐに切り、警察相談専用電話に相談してください。',
    );
    expect(v.risk).toBe('low');
    expect(reasonCodes(v)).toContain('scam_warning_bulletin');
    expect(reasonCodes(v)).not.toContain('money_transfer_request');
  });

  it('does not take a lone 「ご注意ください」 for a bulletin', () => {
    const v = check(
      '【三井住友カード】ご注意ください。カードの利用を停止しました。 https://smbc-card-stop.top/',
    );
    expect(reasonCodes(v)).not.toContain('scam_warning_bulletin');
    expect(v.risk).toBe('high');
  });

  it('reads a negated request as advice', () => {
    const v = check('認証番号は家族や友人にも絶対に教えないでください。');
    expect(reasonCodes(v)).not.toContain('code_request');
    expect(v.risk).toBe('low');
  });
});

describe('person-to-person scams: the request itself is the scam', () => {
  it.each([
    ['account_takeover', '久しぶり！今ちょっといい？SMSに届いた6桁の番号を教えてほしいんだけど'],
    ['account_takeover', 'お願いがあるんだけど、コンビニで電子マネーを買ってきてもらえる？後で返すから'],
    [
      'fake_police',
      '警視庁の者です。あなた名義の口座が犯罪に利用され、逮捕状が出ています。資産を確認するため指定の口座へ振り込んでください。',
    ],
    [
      'side_job',
      '日給3万円以上！スマホ一つでできる簡単なお仕事です。興味のある方は「1」と返信してください。',
    ],
    ['investment_romance', '必ず儲かる銘柄を無料で教えます。投資の勉強会グループに参加してください。'],
    [
      'support_scam',
      '警告：お使いのパソコンがウイルスに感染しています。サポート窓口に電話してください 050-1111-2222',
    ],
    [
      'callback',
      '有料サイトの登録が完了しました。本日中に退会手続きをされない場合、料金が発生します。03-1111-2222',
    ],
  ])('flags a %s message without a link', (scenario, text) => {
    const v = check(text);
    expect(flagged(v), `${v.risk} ${v.score} ${reasonCodes(v).join(',')}`).toBe(true);
    expect(v.scenario).toBe(scenario);
    expect(v.advice.join('')).not.toBe('');
  });

  it('gives each story its own advice line', () => {
    const v = check('SMSに届いた認証番号を教えて！急いでるの');
    expect(v.scenario).toBe('account_takeover');
    expect(v.advice.some((a) => a.includes('認証番号'))).toBe(true);
  });

  it('leaves out the generic "check the official app" line where a story says what to do instead', () => {
    const v = check(
      '警察です。あなたの口座が犯罪に使われています。逮捕されないよう、保釈金を指定の口座に振り込んでください',
    );
    expect(v.scenario).toBe('fake_police');
    expect(v.advice.some((a) => a.includes('#9110'))).toBe(true);
    expect(v.advice.some((a) => a.includes('公式アプリ'))).toBe(false);
  });

  it('says "check in the official app" once, not twice in other words', () => {
    const v = check('お客様のアカウントに問題があります。確認してください');
    expect(v.risk).toBe('medium');
    expect(v.advice.filter((a) => a.includes('公式アプリ'))).toHaveLength(1);
  });
});

describe('who the message claims to be', () => {
  it('is not the bank it asks you to pay into', () => {
    const v = check('未納料金があります。本日中にお支払いください。振込先：三井住友銀行 普通 1234567');
    expect(v.brand?.id).not.toBe('smbc_bank');
  });

  it('is not the name a warning says is being impersonated', () => {
    const v = check('三井住友銀行をかたる不審なSMSが届いています。暗証番号を入力しないでください。');
    expect(v.brand).toBeNull();
  });

  it('is not a service mentioned once at the end of a long notice', () => {
    const v = check(
      '市からのお知らせです。本日は大雨の予報が出ています。今夜から明日の朝にかけて、土砂災害の危険が高まります。河川や用水路には近づかないようにしてください。避難所の開設状況は市のホームページでお知らせします。この情報はLINEでも配信しています。',
    );
    expect(v.brand).toBeNull();
  });

  it('recognises utilities, consumer finance, securities and game brands', () => {
    expect(check('【東京ガス】ガス料金が未払いです').brand?.id).toBe('tokyo_gas');
    expect(check('【アコム】ご返済が確認できません').brand?.id).toBe('acom');
    expect(check('【松井証券】口座の取引を制限しました').brand?.id).toBe('matsui_sec');
    expect(check('【PlayStation】アカウントが停止されました').brand?.id).toBe('playstation');
    expect(check('NTTファイナンスからのお知らせ：未払い料金があります').brand?.id).toBe('ntt_finance');
  });

  it('takes official subdomains of new brands as official', () => {
    const v = check('PlayStation Storeのご購入ありがとうございます https://store.playstation.com/ja-jp/');
    expect(v.urls[0]?.official).toBe(true);
  });
});
