// Signs of the message as a whole, once links, senders, numbers, words and requests are read: hidden
// characters, a cut, nothing checkable, a code notice, a named recipient, an authenticated official sender.
import type { Extracted } from './extract.ts';
import type { Normalized } from './normalize.ts';
import type { LinkAnalysis } from './links.ts';
import type { Words } from './language.ts';
import type { Requests } from './requests.ts';
import type { Signal, VerdictEmail, VerdictUrl } from './types.ts';

export interface MessageInput {
  norm: Normalized;
  /** Where the text was cut (shown in the reason). */
  maxChars: number;
  ex: Extracted;
  urls: VerdictUrl[];
  emails: VerdictEmail[];
  words: Words;
  req: Requests;
  realLinks: LinkAnalysis[];
  senderImitation: boolean;
}

export interface MessageFindings {
  /** Words or something to check (a link, an address, a number). */
  hasContent: boolean;
  /** Every link and sender is a brand's own, and there is at least one. */
  allOfficial: boolean;
  /** The verdict's links the message wants you to open. */
  realUrls: VerdictUrl[];
}

export function messageSigns(m: MessageInput, signals: Signal[]): MessageFindings {
  const { norm, ex, emails, realLinks } = m;
  const { lang } = m.words;
  if (norm.hadBidi) signals.push({ code: 'bidi_control', vars: {} });
  if (norm.hadZeroWidth) signals.push({ code: 'hidden_characters', vars: {} });
  if (norm.truncated)
    signals.push({ code: 'truncated', vars: { evidence: m.maxChars.toLocaleString('ja-JP') } });

  const hasContent = /[\p{L}\p{N}]{2,}/u.test(ex.prose.replace(/[xX○●〇*~]+/g, ' ')) || ex.urls.length > 0;
  const checkable = ex.urls.length + emails.length + ex.phones.length > 0;
  if (!checkable && hasContent) signals.push({ code: 'text_only', vars: {} });

  if (lang.otpNotice && realLinks.every((l) => m.req.ch.official.includes(l.hostUnicode)))
    signals.push({ code: 'one_time_code_notice', vars: {} });
  if (lang.namedRecipient) signals.push({ code: 'named_recipient', vars: {} });

  // Bare names in the prose ("Amazon.co.jp") are not links the message wants you to open: they neither
  // prove nor disprove anything.
  const realUrls = m.urls.filter((_, i) => !ex.urls[i]!.bare);
  const allOfficial =
    (realUrls.length > 0 || emails.some((e) => e.official)) &&
    realUrls.every((u) => u.official) &&
    emails.every((e) => e.official) &&
    !m.senderImitation;
  const authenticated =
    allOfficial &&
    !!ex.headers?.from?.domain &&
    ['spf', 'dkim', 'dmarc'].some((k) => ex.headers?.auth?.[k as 'spf'] === 'pass') &&
    !Object.values(ex.headers?.auth ?? {}).some((v) => v === 'fail' || v === 'softfail');
  if (authenticated) signals.push({ code: 'sender_authenticated', vars: {} });
  return { hasContent: hasContent || checkable, allOfficial, realUrls };
}
