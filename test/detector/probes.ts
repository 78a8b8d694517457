// Hand-written probes for the failure classes of issue 10 ("Failure classes seen" on the unseen sets): for
// each class a few scams and the genuine twins they resemble. Written for these tests in the style of real
// messages, never copied from ../shared/eval (numbers, hosts and names are made up or the brands' own).
// `flag`: 注意 or 危険. `calm`: 危険なサインは見つかりません. `not_high`: anything but 危険.

export type Expect = 'flag' | 'calm' | 'not_high';

export interface Probe {
  text: string;
  expect: Expect;
  /** The brand the message says it is from (null: none). */
  brand?: string | null;
  /** A reason the card must give. */
  reason?: string;
  /** The story told (the verdict's scenario). */
  scenario?: string;
}

export interface ProbeClass {
  name: string;
  probes: Probe[];
}

export const GENUINE: ProbeClass[] = [
  {
    name: 'security notices whose links are all the brand’s own',
    probes: [
      {
        text: 'Google アカウントへの新しいログイン\nお使いの Google アカウントに Windows デバイスから新しいログインがありました。心当たりがない場合は、アクティビティを確認してアカウントを保護してください。\nアクティビティを確認 https://myaccount.google.com/notifications',
        expect: 'calm',
        brand: 'google',
        reason: 'official_channels_only',
      },
      {
        text: '【楽天会員】パスワード再設定のお手続き\n楽天会員パスワードの再設定を受け付けました。30分以内に下記URLから新しいパスワードを設定してください。\nhttps://member.id.rakuten.co.jp/rms/nid/vc',
        expect: 'calm',
        brand: 'rakuten',
        reason: 'official_channels_only',
      },
      {
        text: '【PayPay】不正なログインの試みが複数回あったため、安全のためアカウントを一時的にロックしました。PayPayアプリを開き、画面の案内に沿って本人確認を行ってください。詳しくはヘルプをご覧ください。 https://paypay.ne.jp/help/',
        expect: 'calm',
        brand: 'paypay',
        reason: 'official_channels_only',
      },
      {
        text: '【三井住友カード】カードご利用確認のお願い。12月2日にカードのご利用がありました。お心当たりがない場合はVpassアプリでご利用明細をご確認ください。 https://www.smbc-card.com/mem/index.jsp',
        expect: 'calm',
        brand: 'smbc_card',
        reason: 'official_channels_only',
      },
      {
        text: '【メルカリ】新しい端末からのログインがありました。お客さまご本人によるログインでない場合は、すぐにパスワードを変更してください。 https://jp.mercari.com/mypage/personal_info',
        expect: 'calm',
        brand: 'mercari',
        reason: 'official_channels_only',
      },
      {
        text: '【三井住友銀行】いつも三井住友銀行をご利用いただきありがとうございます。パスワードがロックされました。ロックの解除は三井住友銀行アプリからお手続きください。アプリのダウンロードはこちら https://apps.apple.com/jp/app/id1234567890',
        expect: 'calm',
        brand: 'smbc_bank',
        reason: 'official_channels_only',
      },
      {
        text: '【SBI証券】配当金のお支払いについてのお知らせです。保有銘柄の配当金を証券口座に入金しました。詳しくはSBI証券のサイトにログインしてご確認ください。',
        expect: 'calm',
        brand: 'sbi_sec',
        reason: 'official_channels_only',
      },
      {
        text: '[PayPay] 不正利用の可能性があるため、アカウントの利用を一時停止しました。PayPayアプリのヘルプからお問い合わせください。',
        expect: 'calm',
        brand: 'paypay',
        reason: 'official_channels_only',
      },
      {
        text: '【au PAY】ご本人確認のお願い。お客様のau PAY カードで通常と異なるご利用がありました。ご利用内容をMy auでご確認ください。お心当たりがない場合はカード裏面の電話番号にご連絡ください。',
        expect: 'calm',
      },
    ],
  },
  {
    name: 'card usage checks: the number on the back of the card, a sender under the brand’s own name',
    probes: [
      {
        text: '【セゾンカード】ご利用確認のお願い。通常と異なるご利用を検知しました。セゾンPortalアプリでご利用内容をご確認ください。',
        expect: 'calm',
        brand: 'saison',
        reason: 'official_channels_only',
      },
      {
        text: '【PayPay銀行】新しい端末でログインがありました。心当たりがない場合は、PayPay銀行アプリでパスワードを変更してください。',
        expect: 'calm',
        brand: 'paypay_bank',
        reason: 'official_channels_only',
      },
      {
        text: '【メルペイ】メルペイのご利用が一時的に制限されています。メルカリアプリの「お知らせ」をご確認ください。',
        expect: 'calm',
        brand: 'mercari',
        reason: 'official_channels_only',
      },
      {
        text: '【イオンカード】カードご利用の確認のお願い。不正利用の疑いのあるお取引を検知しました。イオンウォレットアプリでご利用内容をご確認いただくか、カード裏面の番号にお電話ください。',
        expect: 'calm',
        brand: 'aeon_card',
      },
      {
        text: 'From: 三井住友カード <mail@contact.vpass.ne.jp>\nSubject: 【三井住友カード】ご利用確認のお願い\n\nお客様のカードのご利用について確認させていただきたいお取引がございます。Vpassアプリでご利用内容をご確認ください。お心当たりがない場合はカード裏面の電話番号までご連絡ください。\nhttps://www.smbc-card.com/mem/index.jsp',
        expect: 'calm',
        brand: 'smbc_card',
        reason: 'official_channels_only',
      },
    ],
  },
  {
    name: 'carrier billing and speed-limit notices',
    probes: [
      {
        text: '【Y!mobile】ご利用のデータ容量が上限に達したため、通信速度を低速化しています。データ増量はMy Y!mobileからお申し込みいただけます。',
        expect: 'calm',
        brand: 'softbank',
        reason: 'official_channels_only',
      },
      {
        text: '【UQ mobile】今月のデータ容量を使い切ったため、送受信最大300kbpsに制限しています。追加データはMy UQ mobileでご購入いただけます。',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      {
        text: '【楽天モバイル】今月のデータ利用量が上限に達しました。最大1Mbpsに制限しています。my 楽天モバイルからデータチャージができます。',
        expect: 'calm',
        brand: 'rakuten_mobile',
        reason: 'official_channels_only',
      },
      {
        text: '【ドコモ】11月分のご利用料金が確定しました。ご請求金額はMy docomoでご確認いただけます。 https://www.docomo.ne.jp/mydocomo/',
        expect: 'calm',
        brand: 'docomo',
      },
      {
        text: '【au】ご利用のデータ量が上限に達したため、月末まで通信速度を制限しています。データチャージはMy auからお申し込みいただけます。 https://www.au.com/my-au/',
        expect: 'calm',
        brand: 'au',
      },
      {
        text: '[SoftBank] 今月のデータ通信量が上限に達しました。通信速度を送受信最大128kbpsに制限しています。詳細はMy SoftBankでご確認ください。',
        expect: 'calm',
        brand: 'softbank',
      },
      {
        text: '【楽天モバイル】今月のご請求額が確定しました。明細はmy 楽天モバイルでご確認ください。 https://portal.mobile.rakuten.co.jp/',
        expect: 'calm',
        brand: 'rakuten_mobile',
      },
    ],
  },
  {
    name: 'one-time codes',
    probes: [
      {
        text: 'セキュリティコード：482913\nこのコードをAmazonのページに入力してください。有効期限は10分です。このコードは他の人と共有しないでください。',
        expect: 'calm',
      },
      { text: 'LINEの認証番号は 5829 です。この番号を他人に教えないでください。', expect: 'calm' },
      {
        text: 'Yahoo! JAPAN IDの確認コードは 738201 です。このコードを第三者に教えることは絶対にしないでください。',
        expect: 'calm',
      },
      {
        text: '【三菱UFJ銀行】ワンタイムパスワード：604218 お振込の手続き画面に入力してください。当行の行員がこの番号をお尋ねすることはありません。',
        expect: 'calm',
      },
      { text: 'G-318420 が Google の確認コードです。', expect: 'calm' },
      {
        text: 'Yahoo! JAPAN IDの確認コードは 738201 です。このコードを第三者に教えることは絶対にしないでください。',
        expect: 'calm',
        reason: 'one_time_code_notice',
      },
    ],
  },
  {
    name: '「{brand}は…しません」 in the brand’s own mail',
    probes: [
      {
        text: '【三井住友銀行】当行を装った不審なメールにご注意ください。当行がメールやSMSでお客さまの暗証番号やパスワードをお尋ねすることはありません。ログインは三井住友銀行アプリまたは当行ホームページから行ってください。 https://www.smbc.co.jp/',
        expect: 'calm',
      },
      {
        text: 'Amazonからのお知らせ：Amazonがお客様のパスワードや支払い情報をメールや電話でお尋ねすることはありません。アカウントの確認はAmazonアプリの「アカウントサービス」から行ってください。 https://www.amazon.co.jp/',
        expect: 'calm',
      },
      {
        text: 'MyJCBからのお知らせ。JCBがSMSやメールでカード番号や暗証番号の入力をお願いすることはありません。不審なメールを受け取った場合はリンクを開かず削除してください。 https://www.jcb.co.jp/',
        expect: 'calm',
      },
      {
        text: '国税庁からのお知らせ。税務署がSMSやメールで税金の納付を求めることはありません。e-Taxのメッセージボックスはe-Taxホームページからログインしてご確認ください。 https://www.e-tax.nta.go.jp/',
        expect: 'calm',
      },
    ],
  },
  {
    name: 'police and city bulletins that quote scam phrases',
    probes: [
      {
        text: '〇〇県警察からのお知らせ。警察官や銀行員が自宅を訪れ、キャッシュカードを預かりに伺うことはありません。「カードを封筒に入れて」と言われたら詐欺です。',
        expect: 'calm',
        reason: 'scam_warning_bulletin',
      },
      {
        text: '【〇〇市】市の職員が電話で口座番号や暗証番号を聞くことは絶対にありません。不審な電話は警察に相談してください。',
        expect: 'calm',
        reason: 'scam_warning_bulletin',
      },
      {
        text: '〇〇警察署からのお願い。キャッシュカードの暗証番号は、家族や警察官にも教えないでください。不審な電話はすぐに切り、#9110に相談してください。',
        expect: 'calm',
      },
      {
        text: '【〇〇警察署】昨日、管内で警察官を装った男から「逮捕される」「保釈金が必要」と言われ、現金をだまし取られる被害がありました。',
        expect: 'calm',
        reason: 'scam_warning_bulletin',
      },
      {
        text: '【〇〇県警察本部】「LINEで警察手帳を見せられた」「逮捕状の画像が送られてきた」という相談が相次いでいます。警察がLINEでやり取りすることはありません。#9110',
        expect: 'calm',
        reason: 'scam_warning_bulletin',
      },
      {
        text: '【〇〇市安全安心メール】市内で、市役所職員を名乗る男から「医療費の還付金があります。ATMで手続きをしてください」という電話が相次いでいます。ATMで還付金を受け取ることはできません。不審な電話はすぐに切り、家族や警察に相談してください。',
        expect: 'calm',
      },
      {
        text: '〇〇県警察からのお知らせ。LINEの乗っ取りに注意してください。知人のアカウントから「電子マネーを買ってカードの番号を送って」と頼まれても、絶対に応じないでください。本人に電話で確かめましょう。',
        expect: 'calm',
      },
      {
        text: '【警察署からのお知らせ】SNSで「日給5万円」「スマホ一つで簡単に稼げる」などとうたう闇バイトの募集が増えています。応募すると強盗などの犯罪に加担させられるおそれがあります。絶対に応募しないでください。',
        expect: 'calm',
      },
      {
        text: '区役所からのお知らせです。宅配業者を装って「お荷物をお届けにあがりましたが不在のため持ち帰りました」という偽のSMSを送り、リンクを開かせる手口が確認されています。心当たりのないSMSのリンクは開かないでください。',
        expect: 'calm',
      },
      {
        text: '〇〇市役所です。還付金の手続きをATMで案内することはありません。市職員を名乗る不審な電話にご注意ください。お問い合わせは市民課 0123-45-6789',
        expect: 'calm',
        reason: 'scam_warning_bulletin',
      },
      {
        text: '【〇〇県警】ニセ電話詐欺が発生中！「キャッシュカードが不正に使われている」「暗証番号を教えて」は詐欺です。おかしいと思ったらすぐに110番。',
        expect: 'calm',
      },
      {
        text: '警視庁からの注意喚起です。警察官を名乗り「あなたの口座が犯罪に使われている。逮捕されたくなければ保釈金を振り込め」と言う電話に注意してください。警察がお金を要求することは絶対にありません。不安なときは#9110へ相談してください。',
        expect: 'calm',
      },
    ],
  },
  {
    name: 'official domains and newer brands',
    probes: [
      {
        text: 'Amazon.co.jp\nご注文の確認\nご注文ありがとうございます。商品の発送準備が整いましたら、メールでお知らせします。\n注文内容を確認・変更する: https://www.amazon.co.jp/gp/your-account/order-history\nAmazon公式X: https://x.com/AmazonJP\nこのメールアドレスは配信専用です。',
        expect: 'calm',
        brand: 'amazon',
      },
      {
        text: '【LINE】新しい端末でLINEにログインしました。心当たりがない場合は、LINEアプリの「設定」からパスワードを変更してください。',
        expect: 'calm',
        brand: 'line',
      },
      {
        text: 'Yahoo!ショッピングでのご注文ありがとうございます。注文内容は下記からご確認ください。 https://yahoo.jp/Xk3pQa',
        expect: 'calm',
      },
      {
        text: 'PlayStation Networkのサインインに使うパスワードが変更されました。心当たりがない場合はアカウントのセキュリティ設定を確認してください。 https://www.playstation.com/ja-jp/support/account/',
        expect: 'calm',
        brand: 'playstation',
      },
      {
        text: '【くらしTEPCO】12月分の電気料金のお知らせです。ご請求金額は8,432円です。詳細はくらしTEPCO webでご確認ください。 https://www.kurashi.tepco.co.jp/',
        expect: 'calm',
        brand: 'tepco',
      },
      {
        text: '【東京ガス】今月のガスご使用量とご請求額が確定しました。myTOKYOGASでご確認いただけます。 https://members.tokyo-gas.co.jp/',
        expect: 'calm',
        brand: 'tokyo_gas',
      },
      {
        text: 'NTTファイナンスです。お支払い期限を過ぎたご請求があります。すでにお支払い済みの場合は行き違いですのでご容赦ください。お支払い方法は公式サイトをご確認ください。 https://www.ntt-finance.co.jp/',
        expect: 'not_high',
        brand: 'ntt_finance',
      },
    ],
  },
  {
    name: 'person-to-person messages that are no scam',
    probes: [
      { text: '今日はありがとう！また今度ご飯行こうね', expect: 'calm' },
      { text: '帰りにコンビニで牛乳と卵を買ってきてくれる？', expect: 'calm' },
      {
        text: 'アルバイト募集：時給1,200円、土日に勤務できる方。面接は店頭で行いますので、お気軽にお越しください。',
        expect: 'calm',
      },
      {
        text: '〇〇歯科です。明日10時のご予約の確認です。ご都合が悪い場合は03-1234-5678までお電話ください。',
        expect: 'calm',
      },
    ],
  },
  {
    name: 'public bodies’ own sites: police, prefecture, city and ministry notices with a link',
    probes: [
      {
        text: '【〇〇県警察】特殊詐欺注意報。警察官を名乗り「あなたの口座が犯罪に使われている」「キャッシュカードを預かる」という電話が多発しています。詳しくは県警ホームページをご覧ください。 https://www.police.pref.kanagawa.jp/',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      {
        text: '【〇〇市】還付金詐欺にご注意ください。市職員を名乗り「医療費の還付があります。ATMで手続きしてください」という電話がかかっています。市がATMの操作をお願いすることはありません。 https://www.city.sapporo.jp/',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      {
        text: '〇〇町からのお知らせ。給付金の支給を装った詐欺メールにご注意ください。町が暗証番号をお尋ねすることはありません。 https://www.town.hinode.tokyo.jp/',
        expect: 'calm',
        reason: 'government_domain',
      },
      {
        text: '【消費者庁】架空請求のSMSにご注意ください。「有料動画の未納料金があります。本日中にご連絡ください」などのメッセージは詐欺です。 https://www.caa.go.jp/',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      {
        text: '東京都からのお知らせです。都の職員を名乗り、給付金の手続きでATMへ行くよう求める電話に注意してください。 https://www.metro.tokyo.lg.jp/',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      {
        text: 'From: 〇〇市役所 <anshin@city.naha.okinawa.jp>\nSubject: 【〇〇市安全安心メール】還付金詐欺にご注意ください\n\n市職員を名乗り「医療費の還付金があります。ATMへ行ってください」という電話が相次いでいます。市がATMでの手続きをお願いすることはありません。詳しくは市のホームページをご覧ください。\nhttps://www.city.naha.okinawa.jp/',
        expect: 'calm',
        reason: 'official_channels_only',
      },
      { text: 'https://www.police.pref.kanagawa.jp/', expect: 'calm', reason: 'government_domain' },
      {
        text: '【三井住友銀行】警察官を名乗りキャッシュカードをだまし取る詐欺にご注意ください。詳しくは警察庁のページをご覧ください https://www.npa.go.jp/bureau/safetylife/',
        expect: 'calm',
        brand: 'smbc_bank',
      },
      {
        text: '【ゆうちょ銀行】還付金詐欺にご注意ください。ATMで還付金を受け取ることはできません。詳しくは政府広報オンライン https://www.gov-online.go.jp/',
        expect: 'calm',
        brand: 'yucho',
      },
    ],
  },
];

export const SCAMS: ProbeClass[] = [
  {
    name: 'LINE takeover: the code or the e-money numbers',
    probes: [
      {
        text: 'ごめん、今手が離せないの。Google Playカードを買って裏面の番号を教えてほしい',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: '急ぎでお願い。コンビニでAppleギフトカードを3万円分買って、裏面の番号を送ってくれる？',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: '今忙しい？ちょっとお願いがあるんだけど、携帯に届いた4桁の認証番号を送ってくれない？',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: 'ごめん、LINEが別の端末でログインできなくなっちゃった。あなたの電話番号を教えて、届いた認証コードをこっちに送ってほしい',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: '急ぎで頼みたいことがあるの。近くのコンビニでアップルギフトカードを5万円分買って、裏の番号を写真で送ってくれる？',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: 'お疲れさま！今手が離せなくて、代わりにGoogle Playカードを3万円分買ってきてもらえないかな。コードを送ってくれたら明日返すね。',
        expect: 'flag',
        scenario: 'account_takeover',
      },
      {
        text: 'ちょっといい？今月の支払いでWebMoneyが必要で、2万円分買ってプリペイド番号を教えてほしい',
        expect: 'flag',
        scenario: 'account_takeover',
      },
    ],
  },
  {
    name: 'fake police, prosecutors and look-alike agency names',
    probes: [
      {
        text: '【〇〇銀行】お客様のキャッシュカードが偽造された恐れがあります。本日、当行の職員がご自宅にカードを回収に参ります。',
        expect: 'flag',
      },
      {
        text: '〇〇警察署です。管内で詐欺の被害がありました。あなたの口座も狙われています。被害を防ぐため、キャッシュカードの暗証番号を教えてください。',
        expect: 'flag',
      },
      {
        text: '【〇〇県警】という相談が増えています。あなたの口座が凍結されます。保釈金として指定口座にお振込みください。',
        expect: 'flag',
      },
      {
        text: '【〇〇県警】あなたの口座がだまし取られる被害が発生しています。保護のため、指定口座へ預金を移してください。',
        expect: 'flag',
      },
      {
        text: '〇〇警察署です。管内で発生した詐欺事件の捜査で、あなた名義の口座が使われていることが判明しました。至急、捜査二課 03-5555-1234 までご連絡ください。',
        expect: 'flag',
      },
      {
        text: '警察庁サイバー犯罪対策課です。あなたの口座がマネーロンダリング事件に関与しており、逮捕状が請求されています。至急こちらまで連絡してください。03-5555-0123',
        expect: 'flag',
        scenario: 'fake_police',
      },
      {
        text: '普察庁からの通知：あなたの名義で不正な取引が確認されました。本日中に連絡がない場合、逮捕の手続きに入ります。',
        expect: 'flag',
        scenario: 'fake_police',
      },
      {
        text: '〇〇県警の捜査二課の者です。あなたの資産が犯罪に関わっていないか確認が必要です。保釈金として指定口座へ100万円を振り込んでください。',
        expect: 'flag',
        scenario: 'fake_police',
      },
      {
        text: '検察庁です。あなたに対する訴訟が提起されました。賠償金を支払わない場合、財産を差し押さえます。詳細は担当者までLINEでご連絡ください。',
        expect: 'flag',
      },
      {
        text: '警察です。あなたの携帯番号が詐欺に使われています。LINEでビデオ通話をしますので、IDを追加してください。',
        expect: 'flag',
        brand: null,
        scenario: 'fake_police',
      },
      {
        text: '大阪府警の者です。あなたの口座が不正に使われています。捜査のため口座の残高を確認させてください。',
        expect: 'flag',
        scenario: 'fake_police',
      },
    ],
  },
  {
    name: 'side jobs and 闇バイト',
    probes: [
      {
        text: '【高収入】日給5万円保証！スマホ一つで完結する簡単なお仕事。未経験OK、即日払い。詳しく知りたい方は「1」とだけ返信してください。',
        expect: 'flag',
        scenario: 'side_job',
      },
      {
        text: '空いた時間に1日3万円以上稼げます。荷物を受け取るだけの簡単作業です。興味があればこちらのLINEまでご連絡ください。',
        expect: 'flag',
        scenario: 'side_job',
      },
      {
        text: 'ホワイト案件です！1件3万円の簡単なお仕事。詳しくはTelegramで連絡ください。',
        expect: 'flag',
        scenario: 'side_job',
      },
      {
        text: '副業のご案内です。1日10分の作業で月収50万円も可能。スマホがあれば誰でもできます。参加希望の方は「はい」と返信してください。',
        expect: 'flag',
        scenario: 'side_job',
      },
    ],
  },
  {
    name: 'prize and free-money teasers',
    probes: [
      {
        text: 'おめでとうございます！あなたは抽選で10万円分の現金プレゼントに当選しました。受け取りには本日中の手続きが必要です。',
        expect: 'flag',
      },
      {
        text: '【現金配布】毎日抽選で100名様に3万円をお配りしています。受け取りを希望される方は返信してください。',
        expect: 'flag',
      },
      {
        text: 'あなたに未受取の給付金が5万円あります。受け取り期限が迫っていますので、お早めにお手続きください。',
        expect: 'flag',
      },
      {
        text: '当選のお知らせ：最新のiPhoneが当たりました。送料500円のお支払いだけでお受け取りいただけます。',
        expect: 'flag',
      },
    ],
  },
  {
    name: 'callback bait: a number to call about something you never did',
    probes: [
      {
        text: 'ご利用中の有料動画サービスの解約が完了していません。本日中にご連絡がない場合、違約金3万円が発生します。お問い合わせ 050-3333-4444',
        expect: 'flag',
        scenario: 'callback',
      },
      {
        text: 'お客様の携帯電話の利用料金が未払いのため、法的手続きに移行します。至急ご連絡ください。03-6666-7777',
        expect: 'flag',
        scenario: 'callback',
      },
      {
        text: '【重要】お客様の会員登録が完了しました。ご登録に心当たりがない場合は、本日中に下記までお電話ください。0800-111-2222',
        expect: 'flag',
        scenario: 'callback',
      },
      {
        text: 'Amazonプライムの年会費39,800円のお支払いが完了しました。ご注文に覚えがない場合はサポートセンターまでお電話ください。050-1234-5678',
        expect: 'flag',
      },
    ],
  },
  {
    name: 'a brand and a problem, the link cut off',
    probes: [
      {
        text: '【SBI証券】お客様の口座で不正な取引を検知しました。本日中に下記口座へご入金ください。',
        expect: 'flag',
        brand: 'sbi_sec',
      },
      {
        text: '【楽天カード】お客様のカードに不正利用の疑いがあるため、ご利用を一時停止しました。',
        expect: 'flag',
        brand: 'rakuten_card',
      },
      {
        text: '【三井住友銀行】お客様の口座で不審な取引を検知しました。本人確認が完了するまでお取引を制限しています。',
        expect: 'flag',
        brand: 'smbc_bank',
      },
      {
        text: '【au】ご利用料金のお支払いが確認できておりません。このままですとご利用停止となります。',
        expect: 'flag',
        brand: 'au',
      },
      {
        text: '【Apple】お使いのApple IDが規約違反により無効になりました。',
        expect: 'flag',
        brand: 'apple',
      },
      {
        text: '楽天カードをご利用のお客様へ。ご本人様確認が必要なお取引があります。',
        expect: 'flag',
        brand: 'rakuten_card',
      },
      {
        text: '【PayPay】あなたのアカウントに不正なアクセスがありました。本人確認を行ってください。',
        expect: 'flag',
        brand: 'paypay',
      },
      { text: 'Appleからのお知らせ：お使いのiCloudストレージが一杯です。', expect: 'flag', brand: 'apple' },
      {
        text: 'ヤフーカード会員様：ログインに異常が検出されました。アカウントが凍結される前にご確認ください。',
        expect: 'flag',
      },
    ],
  },
  {
    name: 'utilities, finance, games and government offices',
    probes: [
      {
        text: '【東京電力】電気料金の未払いがあるため、明日より送電を停止します。至急お支払いください。 https://tepco-pay.top/',
        expect: 'flag',
        brand: 'tepco',
      },
      {
        text: '【東京ガス】ご契約のガス料金に過払い金があります。返金のお手続きはこちら https://tokyogas-refund.com/',
        expect: 'flag',
        brand: 'tokyo_gas',
      },
      {
        text: 'NTTファイナンスです。未納料金の確認が取れておりません。本日中にお支払いがない場合、法的措置に移行します。',
        expect: 'flag',
        brand: 'ntt_finance',
      },
      {
        text: '【松井証券】セキュリティ強化のため、お客様情報の再登録をお願いします。 https://matsui-sec-login.com/',
        expect: 'flag',
        brand: 'matsui_sec',
      },
      {
        text: '【アコム】ご返済が遅延しております。至急下記よりお手続きください。 http://acom-repay.xyz/',
        expect: 'flag',
        brand: 'acom',
      },
      {
        text: '【PlayStation】お客様のアカウントで不正なアクセスが確認されたため、一時的にロックしました。 https://psn-account-verify.net/',
        expect: 'flag',
        brand: 'playstation',
      },
      {
        text: '【厚生労働省】給付金の申請受付中です。申請期限は本日までです。 https://mhlw-kyufu.com/',
        expect: 'flag',
        brand: 'mhlw',
      },
      { text: '【総務省】マイナポイントの申請期限が迫っています。', expect: 'flag', brand: 'soumu' },
      {
        text: 'マイナポイントの追加申請はこちらから https://mynapoint-apply.com/',
        expect: 'flag',
        brand: 'soumu',
        reason: 'brand_domain_mismatch',
      },
      { text: 'ご本人様確認のため、ログインをお願いします。 https://bit.ly/3abcXYZ', expect: 'flag' },
    ],
  },
  {
    name: 'the claimed brand is the sender, not a payee bank, an address or a quoted name',
    probes: [
      {
        text: '空いた時間に1日3万円以上稼げます。荷物を受け取るだけの簡単作業です。興味があればこちらのLINEまでご連絡ください。',
        expect: 'flag',
        brand: null,
      },
      {
        text: '【Microsoft】お使いのパソコンがウイルスに感染しています。サポートアプリをインストールしてください https://play.google.com/store/apps/details?id=com.example.remote',
        expect: 'flag',
        brand: 'microsoft',
      },
      {
        text: '未払いの料金があります。下記口座へ本日中にお振込みください。振込先：ゆうちょ銀行 〇一八店 普通 1234567',
        expect: 'flag',
        brand: null,
      },
      {
        text: '【日本郵便】お届け先住所に不備があるため、お荷物をお届けできません。差出人：Amazon.co.jp https://post-redeliver.top/',
        expect: 'flag',
        brand: 'japan_post',
      },
      {
        text: '【ヤマト運輸】代金引換のお荷物のお支払いが確認できません。振込先：三井住友銀行 新宿支店 普通 7654321',
        expect: 'flag',
        brand: 'yamato',
      },
      {
        text: '市税の未納があります。本日中に納付してください。お届け先：東京都千代田区丸の内 楽天ビル 様',
        expect: 'flag',
        brand: null,
      },
    ],
  },
  {
    name: 'public bodies imitated: look-alike hosts, a stranger’s number or a company’s name beside a public site',
    probes: [
      {
        text: '【神奈川県警察】あなたの口座が犯罪に利用されています。本日中に下記で本人確認を行ってください。 https://police-pref-kanagawa.com/verify',
        expect: 'flag',
      },
      {
        text: '【〇〇県警】あなた名義の口座が詐欺事件に使われています。捜査に協力しない場合は逮捕となります。 https://pref.kanagawa.jp.police-check.cn/',
        expect: 'flag',
      },
      {
        text: '【〇〇市役所】医療費の還付金があります。本日中にお手続きください。 https://city-kanpu-tetsuzuki.com/',
        expect: 'flag',
      },
      {
        text: '〇〇市役所保険年金課です。保険料の還付金が3万円あります。本日中に手続きが必要です。担当 090-1234-5678 までお電話ください。詳しくは市のホームページ https://www.city.sapporo.jp/',
        expect: 'flag',
      },
      {
        text: '【Amazon】お支払い方法に問題があります。至急更新してください https://www.city.minato.tokyo.jp/',
        expect: 'flag',
        brand: 'amazon',
      },
      {
        text: '【Amazon】お支払い方法に問題があります。こちらから更新してください https://www.city.minato.tokyo.jp/redirect?url=https://amazon-verify.top/',
        expect: 'flag',
        reason: 'redirect_param',
      },
      { text: 'https://pref-chiba.tokyo.jp/kyufu', expect: 'not_high' },
    ],
  },
  {
    name: 'a card company’s sender with a stranger’s link, or a stranger’s sender with the company’s link',
    probes: [
      {
        text: 'From: 三井住友カード <mail@contact.vpass.ne.jp>\nSubject: 【三井住友カード】ご利用確認のお願い\n\nお客様のカードに不正利用の可能性があります。本日中に下記より本人確認を行ってください。\nhttps://vpass-security-check.com/login',
        expect: 'flag',
        reason: 'brand_domain_mismatch',
      },
      {
        text: 'From: 三井住友カード <info@vpass-support.com>\nSubject: 【三井住友カード】ご利用確認のお願い\n\nお客様のカードに不正利用の可能性があります。Vpassでご確認ください。\nhttps://www.smbc-card.com/mem/index.jsp',
        expect: 'flag',
        reason: 'sender_lookalike',
      },
    ],
  },
  {
    name: 'the brand’s own app or member site named beside a stranger’s link',
    probes: [
      {
        text: '【PayPay銀行】新しい端末でログインがありました。PayPay銀行アプリでの確認ができない場合は、こちらから本人確認を行ってください。 https://paypay-bank-kakunin.top/',
        expect: 'flag',
        brand: 'paypay_bank',
      },
      {
        text: '【セゾンカード】ご利用確認のお願い。セゾンPortalアプリでご確認いただけない場合は、本日中に下記よりお手続きください。 https://saison-portal-check.com/',
        expect: 'flag',
        brand: 'saison',
      },
      {
        text: '【Y!mobile】ご利用料金が未払いです。My Y!mobileから本日中にお支払いください。 https://ymobile-pay.xyz/',
        expect: 'flag',
        brand: 'softbank',
      },
    ],
  },
];
