// What a message asks you to do, and where each request leads: the named organisation's own channel
// (its official domain, sender number or app) or somewhere nobody can vouch for. Alarming words weigh
// only when some request leads elsewhere: a genuine security notice that sends you to the brand's own
// site is judged by where it sends you, not by its words.
import type { CompiledBrand } from './compile.ts';
import type { LinkAnalysis } from './links.ts';
import type { Signal, VerdictEmail, VerdictPhone } from './types.ts';

/** Requests that go to whoever sent the message, never to an organisation's official channel. */
const TO_SENDER = new Set([
  'code_request',
  'emoney_purchase',
  'money_transfer_request',
  'line_invite',
  'reply_request',
  'attachment_open',
]);

/** A button or link the text points at but does not show. */
export const HIDDEN_BUTTON = 'hidden_button';

export interface ChannelInput {
  brand: CompiledBrand | null;
  /** Links the message wants you to open (not bare names in the prose). */
  links: LinkAnalysis[];
  masked: number;
  phones: VerdictPhone[];
  /** Addresses written in the body (reply here) and the sender. */
  emails: VerdictEmail[];
  senderImitation: boolean;
  signals: Signal[];
  /** App store hosts (rules/domains.yaml app_stores). */
  appStores: Set<string>;
  /** A host only a public body can hold (a ministry's listed domain too: npa.go.jp). */
  publicSite: (host: string) => boolean;
}

export interface Channels {
  /** Official destinations found: hosts, numbers, 「公式アプリ」. */
  official: string[];
  /** Requests or destinations nobody can vouch for. */
  unofficial: string[];
  /** Links neither the named organisation's nor a stranger's: a public body's site in a company's message. */
  neutral: string[];
}

export function channels(m: ChannelInput): Channels {
  // Without a named organisation, a link is official for whichever brand owns it.
  const official: string[] = [];
  const unofficial: string[] = [];
  const neutral: string[] = [];
  for (const l of m.links) {
    const own = l.signals.length === 0 && l.officialBrands.length > 0;
    // The store page of an app, from an organisation that has its own app: how that app is installed.
    const store = own && !!m.brand?.rule.apps.length && m.appStores.has(l.host);
    if (own && (!m.brand || l.officialBrands.includes(m.brand.id) || store)) official.push(l.hostUnicode);
    // A public body's own site (go.jp, lg.jp, pref.chiba.jp) is the channel of a message from the government, a
    // prefecture (its police) or a city, or of one that names no company; in a company's message (a bank's warning
    // that links to the police) it is not the company's, but no stranger's either.
    else if (l.government || (own && m.publicSite(l.host)))
      (!m.brand || m.brand.rule.category === 'government' ? official : neutral).push(l.hostUnicode);
    else unofficial.push(l.hostUnicode);
  }
  if (m.masked > 0) unofficial.push('masked_link');
  for (const p of m.phones) {
    if (p.codes.includes('official_sender_number')) official.push(p.number);
    else unofficial.push(p.number);
  }
  for (const e of m.emails) if (!e.official) unofficial.push(e.address);
  if (m.senderImitation) unofficial.push('sender');
  const codes = new Set(m.signals.map((s) => s.code));
  for (const code of codes) if (TO_SENDER.has(code)) unofficial.push(code);
  // 「下のボタンをクリック」 in a text that shows no link: the button leads somewhere nobody can check.
  if (codes.has('button_prompt') && m.links.length === 0 && m.masked === 0) unofficial.push(HIDDEN_BUTTON);
  // An app to install is only the brand's own when the message's links are all the brand's.
  if (codes.has('app_install') && official.length === 0) unofficial.push('app_install');
  // 「公式アプリで」 is the named organisation's own channel only when the message names one.
  if (codes.has('official_app') && m.brand) official.push('official_app');
  return { official, unofficial, neutral };
}

/** Every request leads to the named organisation's own channels, and there is at least one (a public body's site
 * beside them is no stranger's, but not the organisation's either: the card could not say 「公式のものだけ」). */
export function officialOnly(ch: Channels): boolean {
  return ch.official.length > 0 && ch.unofficial.length === 0 && ch.neutral.length === 0;
}
