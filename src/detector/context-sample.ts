// Ordinary Japanese of the kinds the bot reads (notices, SMS, mails, chat), written for this purpose: the
// tokenizer counts which connection context ids its words use and numbers those first, so the costs the
// Viterbi search reads most sit together in a small corner of the matrix (see tokenizer.ts, hotOrder).
// Only the speed depends on it: any text gives the same tokens.
export const CONTEXT_SAMPLE = `
お客様各位
いつもご利用いただき、誠にありがとうございます。
ご注文いただいた商品は本日発送いたしました。お届けは明日の午前中を予定しております。
配達予定日：12月5日（木）14時～16時
お荷物のお届けにあがりましたが、ご不在でしたので持ち帰りました。再配達をご希望の方は下記よりお手続きください。
ご登録のメールアドレス宛てに確認コードを送信しました。コードは482913です。第三者には教えないでください。
お支払い方法に問題があったため、アカウントの利用を一時的に制限しています。24時間以内に情報を更新してください。
https://www.example.co.jp/login?id=abc123 からログインして、カード情報を確認してください。
【重要】セキュリティ強化のため、パスワードの再設定をお願いいたします。
未払いの料金が3,980円あります。期限までにお支払いがない場合、法的手続きに移行します。
ポイントの有効期限が近づいています。今月末までにご利用ください。
当選おめでとうございます！抽選で100名様にギフト券をプレゼント。受け取りはこちらから。
明日の会議は10時からに変更になりました。資料は共有フォルダに入れてあります。
お母さん、スマホが壊れたので新しい番号になりました。登録しておいてね。
昨日はありがとう。また近いうちにご飯でも行こうよ。
東京都千代田区丸の内1-2-3 ○○ビル5階
お問い合わせ先：0120-123-456（受付時間 平日9:00～18:00）
このメールは送信専用のため、ご返信いただいてもお答えできません。
Your account has been suspended. Please verify your information within 24 hours.
振り込みが確認できませんでした。至急ご連絡をお願いします。
駅前の新しいお店、とても美味しかったです。週末に家族で行ってみようと思っています。
台風の影響により、一部の電車が運転を見合わせています。最新の運行情報をご確認ください。
市役所からのお知らせです。還付金の受け取り手続きは窓口で行っています。電話で口座番号を聞くことはありません。
`;
