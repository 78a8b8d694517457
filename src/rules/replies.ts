// rules/replies.yaml, the bot's words: a non-programmer can change the wording without touching code.
// Checked at start-up; a broken file stops the server with the path inside it and the problem.
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readRuleFile } from './load.ts';

export const DEFAULT_REPLIES_FILE = fileURLToPath(new URL('../../rules/replies.yaml', import.meta.url));

const line = z.string().trim().min(1);
/** Words that would tell a worried person a message is harmless: the bot never says them. */
const noAllClear = line.refine((s) => !/安全です|安心です|問題ありません/.test(s), 'must not say 安全です');
const byRisk = z.object({ high: noAllClear, medium: noAllClear, low: noAllClear, unknown: noAllClear });
const button = z.string().trim().min(1).max(20);

const Answer = z.object({ text: noAllClear });

export const RepliesFile = z.object({
  verdict: z.object({
    title: byRisk,
    summary: byRisk,
    summary_with_brand: byRisk,
    brand: line,
    reasons: line,
    links: line,
    link_domain: line,
    link_official: line,
    link_not_official: line,
    links_more: line,
    emails: line,
    emails_more: line,
    next: line,
    long_text_note: line,
    /** High/medium without a link: {brand_lead} is 「{brand}を名乗る、」 or nothing. */
    summary_phone: z.object({ high: noAllClear, medium: noAllClear }),
    summary_no_link: z.object({ high: noAllClear, medium: noAllClear }),
    brand_lead: line,
    /** Unknown, with a link: the site could not be vouched for. */
    summary_unverified: noAllClear,
    /** Headings of the reasons: the reassuring evidence (low), what could not be vouched for (unknown). */
    reasons_low: line,
    reasons_unknown: line,
    /** Under a green card's evidence. */
    still_official: noAllClear,
    /** Under links shown with [.]: why. */
    defanged_note: line,
    /** A message that asks to call a number. */
    called_question: line,
    /** Instead of the detector's link advice when the message has no link. */
    next_no_link: line,
  }),
  media: z.object({
    image_read: noAllClear,
    mail_read: noAllClear,
    text_read: noAllClear,
    read_heading: line,
    links_heading: line,
    link: line,
    qr_link: line,
    qr_link_same: line,
    qr_text: line,
    mail_from: line,
    mail_subject: line,
    uncertain: noAllClear,
    check_reading: noAllClear,
    image_cut: noAllClear,
  }),
  buttons: z.object({
    help: button,
    opened_link: button,
    entered_info: button,
    called: button,
    usage: button,
  }),
  commands: z.object({
    help: z.array(line).min(1),
    opened_link: z.array(line).min(1),
    entered_info: z.array(line).min(1),
    called: z.array(line).min(1),
    usage: z.array(line).min(1),
  }),
  answers: z.object({
    follow: Answer,
    join: Answer,
    usage: Answer,
    unreadable: Answer,
    image_unreadable: Answer,
    image_external: Answer,
    image_unsupported: Answer,
    image_too_large: Answer,
    content_gone: Answer,
    content_failed: Answer,
    ocr_busy: Answer,
    ocr_timeout: Answer,
    file_unsupported: Answer,
    file_too_large: Answer,
    file_unreadable: Answer,
    mail_timeout: Answer,
    mail_busy: Answer,
    empty: Answer,
    mention_only: Answer,
    internal_error: Answer,
    rate_limited: Answer,
    /** The person's own words (./turn.ts): answered, never checked. */
    greeting: Answer,
    thanks: Answer,
    ok: Answer,
    question_nothing: Answer,
    /** {when} {title} {summary}: the message checked last. */
    question_about_last: Answer,
  }),
});

export type Copy = z.infer<typeof RepliesFile>;
export type AnswerCopy = z.infer<typeof Answer>;

export function loadCopy(file = DEFAULT_REPLIES_FILE): Copy {
  return readRuleFile(dirname(file), basename(file), RepliesFile);
}
