// Is this the person talking to the bot, or a message they want checked? A greeting, thanks, or a
// question about a message without the message (「これは詐欺ですか？」) is the person's own words: it is
// answered, not checked, not counted against the limit, and the message checked before stays the one
// we talk about. Only a short text with no link, address, phone number or notice wording can be one
// (looksForwarded); the words are in rules/intents.yaml (turns).
import type { Guide } from '../guide/load.ts';
import { looksForwarded } from '../guide/understand.ts';

export type OwnWords = 'greeting' | 'thanks' | 'ok' | 'question';

/** A question longer than this is more likely a pasted message than the person asking. */
const QUESTION_CHARS = 60;

export function ownWords(guide: Guide, raw: string): OwnWords | null {
  const text = raw.normalize('NFKC').trim();
  if (text === '' || looksForwarded(guide.matcher, text)) return null;
  const t = turnWords(guide.rules.intents.turns);
  const key = bare(text);
  if (key === '') return null;
  if (t.greeting.has(key)) return 'greeting';
  if (t.thanks.has(key)) return 'thanks';
  if (t.ok.has(key)) return 'ok';
  if (text.length > QUESTION_CHARS) return null;
  const asks = t.question.some((w) => text.includes(w));
  // The look-behind starts the run only where it starts: linear time on any text (issue 15).
  const ending = text.replace(/(?<![\s。!！…w笑])[\s。!！…w笑]+$/u, '');
  const endsAsQuestion = t.question_endings.some((e) => ending.endsWith(e));
  return endsAsQuestion || (asks && text.length <= 20) ? 'question' : null;
}

type Turns = Guide['rules']['intents']['turns'];
interface TurnWords {
  greeting: Set<string>;
  thanks: Set<string>;
  ok: Set<string>;
  question: string[];
  question_endings: string[];
}
const prepared = new WeakMap<Turns, TurnWords>();
/** The rules' words as compared, worked out once per rules object rather than for every text checked. */
function turnWords(t: Turns): TurnWords {
  let w = prepared.get(t);
  if (!w) {
    const nfkc = (l: readonly string[]) => l.map((x) => x.normalize('NFKC'));
    w = {
      greeting: new Set(t.greeting.map(bare)),
      thanks: new Set(t.thanks.map(bare)),
      ok: new Set(t.ok.map(bare)),
      question: nfkc(t.question),
      question_endings: nfkc(t.question_endings),
    };
    prepared.set(t, w);
  }
  return w;
}

/** Lower case, without spaces, punctuation, symbols and emoji. */
function bare(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}\p{Extended_Pictographic}ー〜~]+/gu, '');
}
