// The report feature's hooks into the conversation, kept here so the conversation code changes by a
// few lines only: add the 「報告する」 card to a verdict's reply, and answer the report and rich-menu
// postbacks. The rules are read once, on first use (a test checks the shipped files).
import type { Verdict } from '../detector/types.ts';
import type { Message } from '../line/messages.ts';
import { text } from '../line/messages.ts';
import type { Copy } from '../words.ts';
import { loadReportRules, type ReportRules } from '../rules/report.ts';
import { loadRichMenu, type RichMenuDef } from '../richmenu/definition.ts';
import { menuReportCard, reportCard, shouldOfferReport } from './card.ts';
import type { ReportInput, ReportKind } from './mailto.ts';
import { reportLinks, reportPostback, reportText } from './postback.ts';

let rules: ReportRules | undefined;
let menu: RichMenuDef | undefined;
const reportRules = () => (rules ??= loadReportRules());
const richMenu = () => (menu ??= loadRichMenu());

/** Pasted text that carries mail headers or a sender address is a mail; anything else an SMS. */
export function kindOfText(body: string, v: Verdict): ReportKind {
  if (v.emails.length > 0) return 'mail';
  return /^(?:from|subject|差出人|送信者|件名)\s*[:：]/im.test(body.slice(0, 4000)) ? 'mail' : 'sms';
}

/**
 * After a 危険 or 注意 verdict, the 「報告する」 card goes last in the same reply, with the quick replies
 * moved onto it (they show under the last message only). `input` is used to build the card's mail link
 * and is not kept.
 */
export function addReportCard(messages: Message[], v: Verdict, input: ReportInput): void {
  if (!shouldOfferReport(v) || messages.length === 0 || messages.length >= 5) return;
  const card: Message = reportCard(reportRules(), v, input);
  const last = messages[messages.length - 1]!;
  if (last.quickReply) {
    card.quickReply = last.quickReply;
    delete last.quickReply;
  }
  messages.push(card);
}

/** Postbacks of the report card and the rich menu; null for any other. */
export function launchPostback(
  data: string,
  copy: Copy,
): { messages: Message[]; note: Record<string, string> } | null {
  if (new URLSearchParams(data).get('menu') === 'check')
    return { messages: [text(richMenu().check_text, copy)], note: { answer: 'menu_check' } };
  const what = reportPostback(data);
  if (!what) return null;
  const r = reportRules();
  if (what === 'menu') return { messages: [menuReportCard(r)], note: { answer: 'report_menu' } };
  const m = text(reportText(r, what));
  m.quickReply = reportLinks(r, what);
  return { messages: [m], note: { answer: `report_${what}` } };
}
