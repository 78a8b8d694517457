// The zod schema of rules/report.yaml (where to report a phishing message) and its loader. A separate
// file from schema.ts so the report feature stays in one place; errors read like the other rule files'.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readRuleFile } from './load.ts';

export const DEFAULT_REPORT_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** An official page: https only (a route is never an http page). */
const page = z.url({ protocol: /^https$/ });
const line = z.string().trim().min(1);
/** A button label: LINE's Flex buttons take 40 characters; the card keeps to the quick-reply 20. */
const label = z.string().trim().min(1).max(20);
/** The "no all-clear" rule of the bot's words applies here too. */
const words = line.refine((s) => !/安全です|安心です|問題ありません/.test(s), 'must not say 安全です');

const WebRoute = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]+$/),
  for: z
    .array(z.enum(['mail', 'sms']))
    .min(1)
    .optional(),
  label,
  /** Opened when tapped: an official https page, or tel: for a phone number. */
  url: z.union([page, z.string().regex(/^tel:[0-9#*]{3,15}$/, 'tel:NUMBER')]),
  note: words.optional(),
  source: page,
});

export const ReportFile = z.strictObject({
  title: label,
  intro: z.strictObject({ mail: words, sms: words, menu: words }),
  report_mail: z.strictObject({
    to: z.email(),
    subject: line,
    subject_no_brand: line,
    head: words,
    sms_note: words,
    mail_note: words,
    cut_note: words,
    label_from: line,
    label_subject: line,
    label_links: line,
    label_text: line,
    source: page,
  }),
  mail_button: z.boolean(),
  before_sending: z.strictObject({ mail: words, sms: words, menu: words }),
  buttons: z.strictObject({
    report_mail: label,
    report_address: words,
    forward_howto: label,
    sms_routes: label,
    harm: label,
  }),
  routes: z.array(WebRoute),
  carriers: z.array(WebRoute.extend({ note: words })).min(1),
  carriers_intro: words,
  carriers_source: page,
  forward: z.strictObject({
    intro: words,
    steps: z.array(z.strictObject({ label, text: words, url: page.optional(), source: page })).min(1),
    outro: words,
    source: page,
  }),
  harm: z.strictObject({
    text: words,
    routes: z.array(WebRoute).min(1),
    sources: z.array(page).min(1),
  }),
});

export type ReportRules = z.infer<typeof ReportFile>;
export type ReportRoute = z.infer<typeof WebRoute>;

export function loadReportRules(dir = DEFAULT_REPORT_DIR): ReportRules {
  return readRuleFile(dir, 'report.yaml', ReportFile);
}
