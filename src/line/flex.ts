// The verdict card: a Flex bubble whose header colour and altText say the risk at a glance, then the
// brand the message claims, the top reasons, each link defanged with its real domain, and what to do.
import type { messagingApi } from '@line/bot-sdk';
import type { Risk, Verdict } from '../detector/types.ts';
import { RISK_LABEL } from '../cli/render.ts';
import { fill, type Copy } from '../conversation/copy.ts';
import { defangHost, defangText } from './defang.ts';
import { clip, LIMITS } from './limits.ts';
import { quickReply } from './messages.ts';

type Box = messagingApi.FlexBox;
type Component = messagingApi.FlexComponent;

/** Header colours; white text on each keeps a contrast ratio of at least 4.5:1. */
const HEADER: Record<Risk, string> = {
  high: '#C62828',
  medium: '#B45309',
  low: '#2E7D32',
  unknown: '#616161',
};

// Card size bounds: with these, even a verdict with hundreds of long reasons stays far under 30 KB.
const MAX_REASONS = 3;
const MAX_LINKS = 4;
const MAX_EMAILS = 2;
const MAX_ADVICE = 4;
const REASON_CHARS = 160;
const HOST_CHARS = 90;
const ADVICE_CHARS = 200;

/** The contract's label (【危険】…) and the one-line summary: the notification and chat-list text. */
export function verdictAltText(copy: Copy, v: Verdict): string {
  return clip(RISK_LABEL[v.risk] + summary(copy, v), LIMITS.altTextOurs);
}

function summary(copy: Copy, v: Verdict): string {
  return v.brand
    ? fill(copy.verdict.summary_with_brand[v.risk], { brand: v.brand.name })
    : copy.verdict.summary[v.risk];
}

export function verdictCard(copy: Copy, v: Verdict): messagingApi.FlexMessage {
  const c = copy.verdict;
  const body: Component[] = [];
  if (v.brand) body.push(section(c.brand, [txt(v.brand.name, { weight: 'bold' })]));

  const reasons = v.reasons.slice(0, MAX_REASONS);
  if (reasons.length)
    body.push(
      section(
        c.reasons,
        reasons.map((r) => bullet(defangText(clip(r.message, REASON_CHARS)))),
      ),
    );

  if (v.urls.length) {
    const rows: Component[] = v.urls.slice(0, MAX_LINKS).map((u) => {
      const shown = u.hostUnicode && u.hostUnicode !== u.host ? u.hostUnicode : u.host;
      return {
        type: 'box',
        layout: 'vertical',
        contents: [
          txt(defangHost(clip(shown, HOST_CHARS)), { weight: 'bold' }),
          txt(fill(c.link_domain, { domain: defangHost(clip(u.domain || u.host, HOST_CHARS)) }), {
            size: 'sm',
            color: '#555555',
          }),
          txt(u.official ? c.link_official : c.link_not_official, {
            size: 'sm',
            color: u.official ? '#2E7D32' : '#C62828',
          }),
        ],
      };
    });
    if (v.urls.length > MAX_LINKS)
      rows.push(
        txt(fill(c.links_more, { count: v.urls.length - MAX_LINKS }), { size: 'sm', color: '#555555' }),
      );
    body.push(section(c.links, rows));
  }

  if (v.emails.length) {
    const rows: Component[] = v.emails.slice(0, MAX_EMAILS).map((e) => ({
      type: 'box',
      layout: 'vertical',
      contents: [
        txt(defangText(clip(e.address, HOST_CHARS)), { weight: 'bold' }),
        txt(e.official ? c.link_official : c.link_not_official, {
          size: 'sm',
          color: e.official ? '#2E7D32' : '#C62828',
        }),
      ],
    }));
    if (v.emails.length > MAX_EMAILS)
      rows.push(
        txt(fill(c.emails_more, { count: v.emails.length - MAX_EMAILS }), { size: 'sm', color: '#555555' }),
      );
    body.push(section(c.emails, rows));
  }

  const advice = v.advice.slice(0, MAX_ADVICE);
  if (advice.length)
    body.push(
      section(
        c.next,
        advice.map((a) => bullet(defangText(clip(a, ADVICE_CHARS)))),
      ),
    );

  const bubble: messagingApi.FlexBubble = {
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: HEADER[v.risk],
      paddingAll: '16px',
      spacing: 'sm',
      contents: [
        txt(c.title[v.risk], { size: 'xl', weight: 'bold', color: '#FFFFFF' }),
        txt(summary(copy, v), { size: 'md', color: '#FFFFFF' }),
      ],
    },
  };
  if (body.length) bubble.body = { type: 'box', layout: 'vertical', spacing: 'xl', contents: body };
  return {
    type: 'flex',
    altText: verdictAltText(copy, v),
    contents: bubble,
    quickReply: quickReply(copy),
  };
}

function section(title: string, rows: Component[]): Box {
  return {
    type: 'box',
    layout: 'vertical',
    spacing: 'sm',
    contents: [txt(title, { size: 'sm', weight: 'bold', color: '#333333' }), ...rows],
  };
}

function bullet(s: string): Component {
  return {
    type: 'box',
    layout: 'baseline',
    spacing: 'sm',
    contents: [txt('・', { flex: 0 }), txt(s, { flex: 1 })],
  };
}

function txt(s: string, extra: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText {
  return { type: 'text', text: s, wrap: true, size: 'md', ...extra };
}
