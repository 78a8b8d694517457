// What the words of a message say (urgency, threats, requests for data, the story it tells) and how
// they are written (simplified Chinese characters, broken Japanese, look-alike letters).
import type { Compiled } from './compile.ts';
import { findPhrases } from './phrases.ts';
import type { Signal } from './types.ts';
import { scriptsOf, unconfuse } from './lookalike.ts';
import { lowerOf } from './lower-case.ts';

export interface LanguageFindings {
  signals: Signal[];
  scenario: string | null;
  /** Addressed by a name (「山田 太郎 様」) rather than 「お客様」. */
  namedRecipient: boolean;
  /** A one-time-code notice: "コードは123456です。共有しないでください". */
  otpNotice: boolean;
}

/** A one-time code written out in the message, before or after the word for it. */
const OTP_VALUE =
  /(?:コード|code|認証番号|確認番号|パスコード|ワンタイムパスワード)[^\n\d]{0,12}[A-Z]?-?(?:\d{4,8}|[*＊]{4,8})|(?<![\w-])[A-Z]?-?\d{4,8}\s*(?:が|は|is)[^\n]{0,24}(?:コード|code)/i;

/** A real code notice neither asks for data nor threatens. */
const NOT_OTP = new Set([
  'personal_data_request',
  'unpaid_bill',
  'payment_problem',
  'threat',
  'security_alert',
  'urgency',
]);

/** Signs raised by the word for the code itself (セキュリティコード, 認証コード). */
const CODE_WORDS = new Set(['card_request']);
const DONT_SHARE =
  /(?:教え|共有し|伝え|渡さ)ないで|(?:教え|共有す|伝え|渡す)ることは[^。\n]{0,8}(?:しないで|ありません|おやめ)|never share|do not share|don't share/i;
/** The sentence that says not to share the code (「第三者に教えないでください」): advice, not an alarm. */
const ADVICE_SENTENCE =
  /[^。\n!！]{0,60}(?:(?:教え|共有し|伝え|渡さ)ないで|(?:教え|共有す|伝え|渡す)ることは[^。\n]{0,8}(?:しないで|ありません|おやめ))[^。\n]{0,20}/g;

/** Signs of being asked to do something (negated, they are advice: 「入力しないでください」). */
const ASKING = new Set([
  'code_request',
  'emoney_purchase',
  'money_transfer_request',
  'line_invite',
  'reply_request',
  'callback_request',
  'credential_request',
  'card_request',
  'personal_data_request',
  'app_install',
  'attachment_open',
]);
const NEGATED = /^(?:て|で)?(?:は|も)?(?:ない|なかっ|ません|ず|ぬ|無い)/;

/** Something offered for nothing: a prize, cash, money back. */
const OFFERS = new Set(['prize_offer', 'cash_giveaway', 'refund_offer']);

/** Phrases that contain alarming words but are harmless ("配信停止" is unsubscribing). */
const HARMLESS = /配信停止|配信の停止|配信を停止|停止をご希望|配信不要|メール配信の解除|unsubscribe/gi;

/**
 * @param prose     normalised text with links and addresses blanked out
 * @param original  normalised (NFKC) text
 * @param raw       the text as received, for punctuation that NFKC would erase (，．)
 */
export function analyzeLanguage(c: Compiled, prose: string, original: string, raw: string): LanguageFindings {
  const signals: Signal[] = [];
  const text = prose.replace(HARMLESS, (m) => ' '.repeat(m.length));
  const tokens = c.tokenizer.words(text);
  const groups = c.rules.lexicon.groups;
  // Evidence per group, in the group's order (indexed loops, an array per group found: no Map, no sort).
  const byGroup: (string[] | undefined)[] = new Array<string[] | undefined>(groups.length);
  const matches = findPhrases(c.lexicon, text, tokens);
  let offered = false;
  for (let k = 0; k < matches.length; k++) {
    const m = matches[k]!;
    const signal = groups[m.group]!.signal;
    // 「返信しないでください」「番号は教えないで」: a request negated is a warning, not a request.
    if (ASKING.has(signal) && NEGATED.test(text.slice(m.end, m.end + 8))) continue;
    offered ||= OFFERS.has(signal);
    const list = byGroup[m.group];
    if (!list) byGroup[m.group] = [m.evidence];
    else if (!list.some((e) => e.includes(m.evidence) || m.evidence.includes(e))) list.push(m.evidence);
  }

  let scenario: string | null = null;
  let scenarioWeight = 0;
  for (let group = 0; group < byGroup.length; group++) {
    const evidence = byGroup[group];
    const g = groups[group]!;
    // A fee to receive something is the scam only where something is offered for nothing (a shop's 送料のみ is no sign).
    if (!evidence || (g.signal === 'fee_to_receive' && !offered)) continue;
    longestFirst(evidence);
    const shown = evidence.length === 1 ? evidence[0]! : `${evidence[0]!}」「${evidence[1]!}`;
    signals.push({ code: c.lexiconSignals[group]!, vars: { evidence: shown }, count: evidence.length });
    const weight = c.rules.scoring.signals[g.signal]?.weight ?? 0;
    if (g.scenario && weight * evidence.length > scenarioWeight) {
      scenario = g.scenario;
      scenarioWeight = weight * evidence.length;
    }
  }
  // Tax talk plus money coming back is the "tax refund" story.
  if (scenario === 'refund' && signals.some((s) => s.code === 'tax_topic')) scenario = 'tax_refund';

  // Addressee: an email address or nothing in front of 様 gives the template away.
  // The look-behind starts the address only where a run of address characters starts: linear time.
  // (Each pattern only where the text has what it needs: an @, a 様 or さま.)
  const sama = original.includes('様') || original.includes('さま');
  const emailName = original.includes('@')
    ? /(?<![a-z0-9._%+*-])([a-z0-9._%+*-]+@[a-z0-9.-]+\.[a-z]{2,})\s*(?:様|さま|殿)/i.exec(original)
    : null;
  if (emailName) signals.push({ code: 'email_as_name', vars: { evidence: emailName[1]! } });
  else if (sama && /(?:^|\n)[ \t\u3000]*(?:様|さま)[ \t\u3000]*(?:\n|$)/.test(original))
    signals.push({ code: 'empty_name', vars: {} });
  const namedRecipient =
    !emailName &&
    sama &&
    /(?:^|\n)[ \t\u3000]*(?!お客|会員|ご利用者|利用者|契約者|ユーザー)[^\s\n○●*×]{1,10}[ \t\u3000]?[^\s\n○●*×]{0,10}[ \t\u3000]*(?:様|さま)[ \t\u3000]*(?:\n|$)/.test(
      original,
    );
  // A one-time-code notice tells you a code (「コードは123456です」, 「G-482913 が…確認コードです」) and
  // asks for nothing else.
  // 「セキュリティコード」 also names a card's code: a notice that says not to share the code is about the code.
  const dontShare = DONT_SHARE.test(text);
  // Words of the advice sentence itself (「第三者に教えないで」) raise no alarm in a code notice.
  const rest = dontShare ? text.replace(ADVICE_SENTENCE, ' ') : text;
  const outsideAdvice = (s: Signal) =>
    String(s.vars?.evidence ?? '')
      .split('」「')
      .some((e) => rest.includes(e));
  const otpNotice =
    text.length <= 300 && // code notices are short SMS, not mails quoting a 銘柄コード
    OTP_VALUE.test(text) &&
    !signals.some((s) => (NOT_OTP.has(s.code) && outsideAdvice(s)) || (!dontShare && CODE_WORDS.has(s.code)));

  signals.push(...writingSigns(c, text, raw));
  return { signals, scenario, namedRecipient, otpNotice };
}

/** Sorts a few strings longest first, keeping the order of equals (as a stable sort; in place, allocating
 * nothing where Array.prototype.sort copies into a work array). */
function longestFirst(list: string[]): void {
  for (let i = 1; i < list.length; i++) {
    const s = list[i]!;
    let j = i - 1;
    for (; j >= 0 && list[j]!.length < s.length; j--) list[j + 1] = list[j]!;
    list[j + 1] = s;
  }
}

/** Language analysis reads at most this much (a 20 KB mail body fits). */
const MAX_PROSE = 20_000;

/** Quoted wording 「…」『…』 (bounded, so the pattern stays linear). */
export const QUOTED = /「[^「」\n]{1,200}」|『[^『』\n]{1,200}』/g;

/** What the words say, and whether the message is a warning about scams rather than one. */
export interface Words {
  lang: LanguageFindings;
  bulletin: boolean;
}

/** The language step: analyzeLanguage on the first MAX_PROSE characters; a scam warning read without its quotes. */
export function readWords(c: Compiled, prose: string, normalized: string, raw: string): Words {
  let lang = analyzeLanguage(
    c,
    prose.slice(0, MAX_PROSE),
    normalized.slice(0, MAX_PROSE),
    raw.slice(0, MAX_PROSE),
  );
  // A warning about scams names the scam and tells you how to stay safe: two different phrases at least
  // (a lone 「ご注意ください」 is also how scams sign off). What it quotes in 「」 is the scam's wording, not its own.
  const warning = lang.signals.find((s) => s.code === 'scam_warning_bulletin');
  const bulletin = (warning?.count ?? 0) >= 2;
  if (bulletin) {
    const unquoted = prose.slice(0, MAX_PROSE).replace(QUOTED, (q) => ' '.repeat(q.length));
    lang = analyzeLanguage(c, unquoted, normalized.slice(0, MAX_PROSE), raw.slice(0, MAX_PROSE));
    lang.signals = lang.signals.filter((s) => s.code !== 'scam_warning_bulletin').concat(warning!);
  } else if (warning) lang.signals.splice(lang.signals.indexOf(warning), 1);
  return { lang, bulletin };
}

/** Simplified-only Han characters of the text, in order of first use (a table read per BMP character). */
function simplifiedIn(text: string, lang: Compiled['language']): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const low = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      const pair = text.slice(i, i + 2);
      if (lang.simplified.has(pair)) found.add(pair);
      i++;
    } else if (lang.simplifiedBmp.has(code)) found.add(text[i]!);
  }
  return found;
}

function writingSigns(c: Compiled, text: string, raw: string): Signal[] {
  const signals: Signal[] = [];
  const lang = c.language;
  const chinese = simplifiedIn(text, lang);
  if (chinese.size >= c.rules.language.simplified_min_chars)
    signals.push({ code: 'simplified_chinese', vars: { evidence: [...chinese].slice(0, 5).join(' ') } });

  const lower = lowerOf(text);
  const font = lang.chineseFonts.find((f) => lower.includes(f));
  if (font) signals.push({ code: 'chinese_font', vars: { evidence: font } });

  for (const { re } of lang.brokenPhrases) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) {
      signals.push({ code: 'broken_japanese', vars: { evidence: m[0] } });
      break;
    }
  }
  lang.katakanaHyphen.lastIndex = 0;
  const hyphen = lang.katakanaHyphen.exec(text);
  if (hyphen) {
    const at = hyphen.index;
    signals.push({
      code: 'katakana_hyphen',
      vars: { evidence: text.slice(Math.max(0, at - 4), at + 3).trim() },
    });
  }

  // Greek or Cyrillic letters posing as Latin ones (ΑΝΑ in Greek capitals, Аmazon with a Cyrillic А).
  const otherAlphabet = /[\u0370-\u03ff\u0400-\u052f\u0530-\u058f]/.test(text);
  for (const m of otherAlphabet
    ? text.matchAll(/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]{2,}/gu)
    : []) {
    const scripts = scriptsOf(m[0]);
    if (scripts.size === 1 && scripts.has('Latin')) continue;
    if (/^[a-z]+$/.test(unconfuse(m[0], c.skeletons))) {
      signals.push({ code: 'homoglyph_text', vars: { evidence: m[0] } });
      break;
    }
  }

  // Punctuation Japanese writers do not use between Japanese words: full-width ，．, or ASCII , . between
  // kana/kanji (お知らせ,必ず). Checked on the text as received, before NFKC made ， into ,.
  const odd = lang.oddPunctuation.exec(raw);
  if (odd) signals.push({ code: 'odd_punctuation', vars: { evidence: odd[0] } });
  return signals;
}
