// Postbacks of the report card and the rich menu: `report=menu|sms|forward|harm`. None of them carries
// or needs anything of a message, so their answers are the same for everyone.
import type { messagingApi } from '@line/bot-sdk';
import type { ReportRules } from '../rules/report.ts';

export const REPORT_ANSWERS = ['menu', 'sms', 'forward', 'harm'] as const;
export type ReportAnswer = (typeof REPORT_ANSWERS)[number];

export function reportData(what: ReportAnswer): string {
  return `report=${what}`;
}

/** The report answer a postback asks for; null when the data is not the report's. */
export function reportPostback(data: string): ReportAnswer | null {
  const what = new URLSearchParams(data).get('report');
  if (what === null) return null;
  // Damaged data still gets the overview rather than silence.
  return REPORT_ANSWERS.find((w) => w === what) ?? 'menu';
}

/** The text of the answers that are plain text (the overview is a card: card.ts). */
export function reportText(rules: ReportRules, what: Exclude<ReportAnswer, 'menu'>): string {
  if (what === 'sms') return [rules.carriers_intro, ...rules.carriers.map((c) => `・${c.note}`)].join('\n');
  if (what === 'forward')
    return [rules.forward.intro, ...rules.forward.steps.map((s) => `・${s.text}`), rules.forward.outro].join(
      '\n',
    );
  return rules.harm.text;
}

/** Buttons under a plain-text answer: the pages it names. */
export function reportLinks(
  rules: ReportRules,
  what: Exclude<ReportAnswer, 'menu'>,
): messagingApi.QuickReply {
  const routes =
    what === 'sms'
      ? rules.carriers
      : what === 'harm'
        ? rules.harm.routes
        : rules.forward.steps.flatMap((s) => (s.url ? [{ label: s.label, url: s.url }] : []));
  return {
    items: routes.slice(0, 13).map((r) => ({
      type: 'action',
      action: { type: 'uri', label: r.label, uri: r.url },
    })),
  };
}
