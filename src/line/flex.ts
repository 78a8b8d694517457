// The verdict card: a Flex bubble whose header colour and altText say the risk at a glance, then the
// brand the message claims, the top reasons, each link defanged with its real domain, and what to do.
import type { messagingApi } from '@line/bot-sdk';
import type { Risk, Verdict } from '../detector/types.ts';
import { RISK_LABEL } from '../words.ts';
import { fill, forChannel, type Copy } from '../words.ts';
import { defangHost, defangText } from './defang.ts';
import { clip, LIMITS } from './limits.ts';
import { quickReply } from './messages.ts';
import { DEFAULT_RULES_DIR, readRuleFile } from '../rules/load.ts';
import { BrandsFile } from '../rules/schema.ts';

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

/** A warning about a number to call, with no link to open: the card speaks of calling, not links. */
export function isPhoneScam(v: Verdict): boolean {
  return warns(v) && v.urls.length === 0 && v.phones.length > 0;
}

function warns(v: Verdict): boolean {
  return v.risk === 'high' || v.risk === 'medium';
}

function summary(copy: Copy, v: Verdict): string {
  const c = copy.verdict;
  if ((v.risk === 'high' || v.risk === 'medium') && v.urls.length === 0) {
    const lead = v.brand ? fill(c.brand_lead, { brand: v.brand.name }) : '';
    const t = v.phones.length ? c.summary_phone[v.risk] : c.summary_no_link[v.risk];
    return fill(t, { brand_lead: lead });
  }
  // A link nobody vouches for: something was found, the bot just cannot say it is real.
  if (v.risk === 'unknown' && v.urls.length) return c.summary_unverified;
  return v.brand ? fill(c.summary_with_brand[v.risk], { brand: v.brand.name }) : c.summary[v.risk];
}

/**
 * The reasons a card shows: a warning shows what is wrong; a green card only what speaks for the
 * message (the info reasons: official link, genuine code notice …), a grey one what could not be
 * vouched for. A frightening line on a green card would contradict its colour.
 */
function shownReasons(v: Verdict): Verdict['reasons'] {
  if (warns(v)) return v.reasons.filter((r) => r.severity !== 'info');
  // brand_claim only says the name is often abused: not evidence either way. When every channel is
  // the brand's own, that line already names the official domains: one line per official link repeats it.
  const allOfficial = v.reasons.some((r) => r.code === 'official_channels_only');
  return v.reasons.filter(
    (r) => r.severity === 'info' && r.code !== 'brand_claim' && !(allOfficial && r.code === 'official_link'),
  );
}

/** The detector's advice, fitted to the message: no link advice without a link, SMS not called mail. */
function shownAdvice(copy: Copy, v: Verdict, mail: boolean): string[] {
  let lines = v.advice;
  lines = lines.map((a) => forChannel(a, mail));
  if (warns(v) && v.urls.length === 0) {
    const kept = lines.filter((a) => !a.includes('リンク'));
    lines = [copy.verdict.next_no_link, ...kept];
  }
  // A link the bot cannot vouch for: not 「本文を送ってください」 (it was sent) but where to go instead.
  if (v.risk === 'unknown' && v.urls.length) {
    lines = lines.filter((a) => !a.includes('送ってください'));
    if (!lines.length) lines = [copy.verdict.still_official];
  }
  // Green: always the one line "still, use the official app".
  if (v.risk === 'low' && !lines.some((a) => a.includes('公式アプリ')))
    lines = [...lines, copy.verdict.still_official];
  return [...new Set(lines)];
}

export function verdictCard(copy: Copy, v: Verdict, o: { mail?: boolean } = {}): messagingApi.FlexMessage {
  const c = copy.verdict;
  const mail = o.mail ?? v.emails.length > 0;
  const body: Component[] = [];
  if (v.brand) body.push(section(c.brand, [txt(v.brand.name, { weight: 'bold' })]));

  const reasons = shownReasons(v).slice(0, MAX_REASONS);
  const heading = v.risk === 'low' ? c.reasons_low : v.risk === 'unknown' ? c.reasons_unknown : c.reasons;
  const shownAsTyped = officialNames(v);
  const reasonRows = reasons.map((r) => bullet(defangOthers(clip(r.message, REASON_CHARS), shownAsTyped)));
  if (reasonRows.length) body.push(section(heading, reasonRows));
  if (isPhoneScam(v)) body.push(fixedTxt(c.called_question, BOLD));

  if (v.urls.length) body.push(linkSection(c, v.urls));
  if (v.emails.length) body.push(emailSection(c, v.emails));

  const advice = shownAdvice(copy, v, mail).slice(0, MAX_ADVICE);
  if (advice.length)
    body.push(
      section(
        c.next,
        advice.map((a) => bullet(defangOthers(clip(a, ADVICE_CHARS), shownAsTyped))),
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
      contents: [fixedTxt(c.title[v.risk], TITLE), txt(summary(copy, v), { size: 'md', color: '#FFFFFF' })],
    },
  };
  if (body.length) bubble.body = { type: 'box', layout: 'vertical', spacing: 'xl', contents: body };
  return {
    type: 'flex',
    altText: verdictAltText(copy, v),
    contents: bubble,
    quickReply: quickReply(copy, isPhoneScam(v)),
  };
}

/** The card's links: official hosts as a person would type them; any other defanged, with one line saying why. */
function linkSection(c: Copy['verdict'], all: Verdict['urls']): Component {
  const seen = new Set<string>();
  const urls = all.filter((u) => !seen.has(u.host) && seen.add(u.host) !== undefined);
  const rows: Component[] = urls.slice(0, MAX_LINKS).map((u) => {
    const shown = clip(u.hostUnicode && u.hostUnicode !== u.host ? u.hostUnicode : u.host, HOST_CHARS);
    const domain = clip(u.domain || u.host, HOST_CHARS);
    const contents: Component[] = [txt(u.official ? shown : defangHost(shown), { weight: 'bold' })];
    if (domain !== shown)
      contents.push(
        txt(fill(c.link_domain, { domain: u.official ? domain : defangHost(domain) }), {
          size: 'sm',
          color: '#555555',
        }),
      );
    contents.push(
      u.official ? fixedTxt(c.link_official, OFFICIAL) : fixedTxt(c.link_not_official, NOT_OFFICIAL),
    );
    return { type: 'box', layout: 'vertical', contents };
  });
  if (urls.length > MAX_LINKS)
    rows.push(txt(fill(c.links_more, { count: urls.length - MAX_LINKS }), { size: 'sm', color: '#555555' }));
  if (urls.some((u) => !u.official)) rows.push(fixedTxt(c.defanged_note, NOTE));
  return section(c.links, rows);
}

/** The card's mail addresses, official or not. */
function emailSection(c: Copy['verdict'], emails: Verdict['emails']): Component {
  const rows: Component[] = emails.slice(0, MAX_EMAILS).map((e) => ({
    type: 'box',
    layout: 'vertical',
    contents: [
      txt(e.official ? clip(e.address, HOST_CHARS) : defangText(clip(e.address, HOST_CHARS)), {
        weight: 'bold',
      }),
      e.official ? fixedTxt(c.link_official, OFFICIAL) : fixedTxt(c.link_not_official, NOT_OFFICIAL),
    ],
  }));
  if (emails.length > MAX_EMAILS)
    rows.push(
      txt(fill(c.emails_more, { count: emails.length - MAX_EMAILS }), { size: 'sm', color: '#555555' }),
    );
  return section(c.emails, rows);
}

/**
 * The names the card may show as a person types them: this verdict's official hosts and domains, and
 * the brand's official domains (its advice names them: 「amazon.co.jp の「アカウントサービス」」).
 */
function officialNames(v: Verdict): string[] {
  // Each name once, in the order met, then the longest first (a stable sort): a card has a few.
  const names: string[] = [];
  for (const u of v.urls) if (u.official) addName(names, u.host, u.domain);
  if (v.brand) for (const d of brandDomains().get(v.brand.id) ?? []) addName(names, d);
  for (const e of v.emails) if (e.official) addName(names, e.address, e.domain);
  return names.length > 1 ? names.sort((a, b) => b.length - a.length) : names;
}

function addName(names: string[], ...add: string[]): void {
  for (const n of add) if (n.includes('.') && !names.includes(n)) names.push(n);
}

let domainsByBrand: Map<string, string[]> | null = null;
/** Each brand's official domains (rules/brands.yaml, read once): the names a reason may cite as official. */
function brandDomains(): Map<string, string[]> {
  domainsByBrand ??= new Map(
    readRuleFile(DEFAULT_RULES_DIR, 'brands.yaml', BrandsFile).brands.map((b) => [
      b.id,
      b.domains.map((d) => d.domain),
    ]),
  );
  return domainsByBrand;
}

/** Every host defanged except the official ones (written back as typed). */
function defangOthers(text: string, official: string[]): string {
  let out = defangText(text);
  for (const name of official) {
    const back = typedBack(name);
    if (out.includes(back.defanged)) out = out.replace(back.re, name);
  }
  return out;
}

// Made once per official name: a card cites the same few brand domains again and again, in every
// reason and advice line.
const typedBacks = new Map<string, { defanged: string; re: RegExp }>();
/** The name as defanged, and where to write it back: whole names only (amazon[.]co[.]jp[.]verify-xx[.]top stays defanged throughout). */
function typedBack(name: string): { defanged: string; re: RegExp } {
  let back = typedBacks.get(name);
  if (!back) {
    const defanged = defangHost(name);
    const escaped = defanged.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    back = { defanged, re: new RegExp(`(?<![\\w-]|\\[\\.\\])${escaped}(?![\\w-]|\\[\\.\\])`, 'g') };
    if (typedBacks.size < 2000) typedBacks.set(name, back);
  }
  return back;
}

function section(title: string, rows: Component[]): Box {
  return {
    type: 'box',
    layout: 'vertical',
    spacing: 'sm',
    contents: [fixedTxt(title, HEADING), ...rows],
  };
}

function bullet(s: string): Component {
  return {
    type: 'box',
    layout: 'baseline',
    spacing: 'sm',
    contents: [fixedTxt('・', DOT), txt(s, REST)],
  };
}

function txt(s: string, extra: Partial<messagingApi.FlexText> = {}): messagingApi.FlexText {
  return { type: 'text', text: s, wrap: true, size: 'md', ...extra };
}

// The styles of the card's fixed lines (headings, labels, the bullet), each written once.
const TITLE = { size: 'xl', weight: 'bold', color: '#FFFFFF' } as const;
const BOLD = { weight: 'bold' } as const;
const OFFICIAL = { size: 'sm', color: '#2E7D32' } as const;
const NOT_OFFICIAL = { size: 'sm', color: '#C62828' } as const;
const NOTE = { size: 'xs', color: '#555555' } as const;
const HEADING = { size: 'sm', weight: 'bold', color: '#333333' } as const;
const DOT = { flex: 0 } as const;
const REST = { flex: 1 } as const;

type Style = Partial<messagingApi.FlexText>;
const fixedTexts = new Map<Style, Map<string, messagingApi.FlexText>>();

/**
 * A line of the copy's own words in one of the styles above: made once and shared by every
 * card (cards are read, never changed, once built): about a third of a card's objects.
 */
function fixedTxt(s: string, style: Style): messagingApi.FlexText {
  let byText = fixedTexts.get(style);
  if (!byText) fixedTexts.set(style, (byText = new Map()));
  let t = byText.get(s);
  if (!t) {
    t = txt(s, style);
    // The copy's strings are a few dozen; bounded should a caller ever pass text of its own.
    if (byText.size < 500) byText.set(s, t);
  }
  return t;
}
