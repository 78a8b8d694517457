// A warning about scams retells the scam's words in quotes and tells you what NOT to do (「暗証番号を教えないで
// ください」「振り込ませることはありません」). A message that, in its own unquoted words, asks you to tell a PIN, pay
// into an account or send a code is no warning, whatever warning phrases it borrows (「管内で詐欺の被害がありました。
// あなたの口座も狙われています。暗証番号を教えてください」 is a fake police officer).
import { QUOTED } from './language.ts';
import type { Signal } from './types.ts';

/** Signs of something asked of the reader: personal data, money, a code, a contact. */
const ASKS = new Set([
  'credential_request',
  'card_request',
  'personal_data_request',
  'money_transfer_request',
  'code_request',
  'emoney_purchase',
  'line_invite',
  'reply_request',
]);

/** A request form in the rest of the sentence, or a visit announced to collect it (「カードを預かりに伺います」) … */
const PLEASE = /ください|下さい|お願い|伺います|参ります/;
/** … that is not a prohibition or a denial (教えないでください, 聞くことはありません, 応じず). */
const NOT = /ない|ません|ず[、。]|禁止/;
/** How far after the asking words the sentence is read (its end comes first when nearer). */
const REST = 30;

/** The message's own unquoted words ask the reader for data, money or a code. */
export function asksTheReader(prose: string, signals: Signal[]): boolean {
  const unquoted = prose.replace(QUOTED, (q) => ' '.repeat(q.length));
  for (const s of signals) {
    if (!ASKS.has(s.code) || !s.vars?.evidence) continue;
    for (const phrase of s.vars.evidence.split('」「')) {
      const at = unquoted.indexOf(phrase);
      if (at < 0) continue;
      const rest = unquoted.slice(at + phrase.length, at + phrase.length + REST).split(/[。！!？?\n]/)[0]!;
      if (PLEASE.test(rest) && !NOT.test(rest)) return true;
    }
  }
  return false;
}
