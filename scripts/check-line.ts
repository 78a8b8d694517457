// npm run check-line: asks the real LINE channel (POST /v2/bot/message/validate/reply, which sends
// nothing) whether it accepts the replies this bot builds: a 危険 verdict card for a mail and for an SMS,
// each with its 「報告する」 card (whose mail button is a mailto: link), and the menu's 報告する card.
// Run it once per channel before going live. Needs LINE_CHANNEL_ACCESS_TOKEN (and LINE_API_BASE_URL).
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { loadCopy } from '../src/rules/replies.ts';
import { loadDetector } from '../src/detector/load.ts';
import { verdictCard } from '../src/line/flex.ts';
import type { Message } from '../src/line/messages.ts';
import { addReportCard } from '../src/report/hook.ts';
import { menuReportCard } from '../src/report/card.ts';
import { loadReportRules } from '../src/rules/report.ts';

const SAMPLES = {
  mail: '差出人: Amazon <info@amazon-security-jp.top>\n件名: お支払い方法の更新\nお支払い方法に問題があります。24時間以内に https://amazon-co-jp.example.top/login で更新してください。',
  sms: '【佐川急便】お荷物のお届けにあがりましたが不在の為持ち帰りました。下記よりご確認ください。https://sagawa-delivery.example.top/track',
} as const;

const token = process.env.LINE_CHANNEL_ACCESS_TOKEN;
if (!token) {
  process.stderr.write(
    'check-line: set LINE_CHANNEL_ACCESS_TOKEN (the channel access token of the channel)\n',
  );
  process.exit(2);
}
const client = new messagingApi.MessagingApiClient({
  channelAccessToken: token,
  baseURL: process.env.LINE_API_BASE_URL || 'https://api.line.me',
});

const copy = loadCopy();
const detector = await loadDetector();
const replies: [string, Message[]][] = [];
for (const [kind, text] of Object.entries(SAMPLES) as [keyof typeof SAMPLES, string][]) {
  const v = detector.analyze(text);
  const messages: Message[] = [verdictCard(copy, v)];
  addReportCard(messages, v, { kind, text });
  replies.push([
    `a 危険 verdict for ${kind === 'mail' ? 'a mail' : 'an SMS'}, with its 報告する card`,
    messages,
  ]);
}
replies.push(["the menu's 報告する card", [menuReportCard(loadReportRules())]]);

let failed = 0;
for (const [what, messages] of replies) {
  try {
    await client.validateReply({ messages });
    process.stdout.write(`ok      ${what}\n`);
  } catch (err) {
    failed++;
    const detail = err instanceof HTTPFetchError ? `${err.status} ${err.body}` : (err as Error).message;
    process.stdout.write(`REFUSED ${what}: ${detail}\n`);
  }
}
if (failed)
  process.stdout.write(
    'LINE refused a reply. If the detail names a uri (the mailto: button), set mail_button: false in rules/report.yaml.\n',
  );
process.exit(failed ? 1 : 0);
