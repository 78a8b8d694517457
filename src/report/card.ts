// The 「報告する」 card: a small Flex bubble with the routes that fit what was sent. For a verdict it is
// built with the verdict (the prefilled mail exists only in that reply); from the menu it is the same
// card without anything of a message. The other answers (carriers, forwarding, harm) need no text.
import type { messagingApi } from '@line/bot-sdk';
import type { Verdict } from '../detector/types.ts';
import type { ReportRoute, ReportRules } from '../rules/report.ts';
import { clip, LIMITS } from '../line/limits.ts';
import { fill } from '../words.ts';
import { reportMailto, type ReportInput, type ReportKind } from './mailto.ts';
import { reportData } from './postback.ts';

type Component = messagingApi.FlexComponent;
type Action = messagingApi.Action;

const ACCENT = '#C62828';

/** After a 危険 or 注意 verdict only: a genuine message is not something to report. */
export function shouldOfferReport(v: Verdict): boolean {
  return v.risk === 'high' || v.risk === 'medium';
}

/** The card added to a verdict's reply; `input` is what was checked, used only to build the mail link. */
export function reportCard(rules: ReportRules, v: Verdict, input: ReportInput): messagingApi.FlexMessage {
  const links = input.links ?? v.urls.map((u) => u.url);
  const mail = reportMailto(rules, { ...input, brand: input.brand ?? v.brand?.name ?? null, links });
  return bubble(rules, input.kind, rules.intro[input.kind], mail);
}

/** The menu's 「報告する」: the same routes, the mail left for the person to fill in. */
export function menuReportCard(rules: ReportRules): messagingApi.FlexMessage {
  return bubble(rules, 'menu', rules.intro.menu, reportMailto(rules));
}

function bubble(
  rules: ReportRules,
  kind: ReportKind | 'menu',
  intro: string,
  mailto: string,
): messagingApi.FlexMessage {
  const fixed = fixedParts(rules, kind, intro);
  const b = rules.buttons;
  const buttons: Component[] = rules.mail_button
    ? [button(b.report_mail, { type: 'uri', label: b.report_mail, uri: mailto }, true), ...fixed.buttons]
    : [...fixed.buttons];
  return {
    type: 'flex',
    altText: fixed.altText,
    contents: {
      type: 'bubble',
      size: 'mega',
      body: fixed.body,
      footer: { type: 'box', layout: 'vertical', spacing: 'sm', contents: buttons },
    },
  };
}

interface FixedParts {
  altText: string;
  body: messagingApi.FlexBox;
  /** Every button but the mail link's. */
  buttons: Component[];
}

const fixedByRules = new WeakMap<ReportRules, Map<string, FixedParts>>();

/**
 * What a card of this kind always shows, made once per rules and kind and shared by every
 * card (only the mail link is the message's own): a verdict's answer builds ~20 objects less.
 */
function fixedParts(rules: ReportRules, kind: ReportKind | 'menu', intro: string): FixedParts {
  let byKind = fixedByRules.get(rules);
  if (!byKind) fixedByRules.set(rules, (byKind = new Map()));
  const key = `${kind}\n${intro}`;
  let fixed = byKind.get(key);
  if (fixed) return fixed;
  const b = rules.buttons;
  const buttons: Component[] = [];
  if (kind !== 'mail') buttons.push(postback(b.sms_routes, 'sms'));
  if (kind !== 'sms') buttons.push(postback(b.forward_howto, 'forward'));
  for (const r of rules.routes.filter((x) => kind === 'menu' || !x.for || x.for.includes(kind)))
    buttons.push(uriButton(r));
  buttons.push(postback(b.harm, 'harm'));
  fixed = {
    altText: clip(`${rules.title}：${intro}`, LIMITS.altTextOurs),
    body: {
      type: 'box',
      layout: 'vertical',
      spacing: 'md',
      contents: [
        { type: 'text', text: rules.title, weight: 'bold', size: 'lg', color: ACCENT, wrap: true },
        { type: 'text', text: intro, size: 'md', wrap: true },
        { type: 'text', text: rules.before_sending[kind], size: 'sm', color: '#555555', wrap: true },
        ...(rules.mail_button ? [] : [addressLine(rules)]),
      ],
    },
    buttons,
  };
  byKind.set(key, fixed);
  return fixed;
}

/** Without the mail button: where to write, to copy. */
function addressLine(rules: ReportRules): Component {
  const text = fill(rules.buttons.report_address, { address: rules.report_mail.to });
  return { type: 'text', text, size: 'sm', wrap: true };
}

function button(label: string, action: Action, primary = false): Component {
  const b: messagingApi.FlexButton = {
    type: 'button',
    style: primary ? 'primary' : 'secondary',
    height: 'sm',
    action: { ...action, label },
  };
  if (primary) b.color = ACCENT;
  return b;
}

function postback(label: string, what: Parameters<typeof reportData>[0]): Component {
  return button(label, { type: 'postback', label, data: reportData(what), displayText: label });
}

function uriButton(r: ReportRoute): Component {
  return button(r.label, { type: 'uri', label: r.label, uri: r.url });
}
