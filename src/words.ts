// The bot's words, used by every layer that talks to a person (cards, guide, report, conversation):
// the wording itself is data (rules/replies.yaml, loaded by src/rules/replies.ts); here are the risk
// labels and the few helpers that fill and match it.
import type { Risk } from './detector/types.ts';
import type { AnswerCopy, Copy } from './rules/replies.ts';

export type { AnswerCopy, Copy } from './rules/replies.ts';

export const RISK_LABEL: Record<Risk, string> = {
  high: '【危険】',
  medium: '【注意】',
  low: '【危険なサインは見つかりません】',
  unknown: '【判定できません】',
};

export type Command = keyof Copy['buttons'];
export const COMMANDS: Command[] = ['help', 'opened_link', 'called', 'entered_info', 'usage'];

// Templates come from the rules, a few hundred at most: each is split at its placeholders once (text,
// name, text, name, … text), not searched with a regex on every answer. Bounded should a caller ever
// pass text of its own.
const compiled = new Map<string, string[]>();
const COMPILED_MAX = 2000;

/** Fills {name} placeholders; an unknown name is left visible so a test can catch it. */
export function fill(template: string, vars: Record<string, string | number>): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    if (compiled.size < COMPILED_MAX) compiled.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i]!;
    out += (key in vars ? String(vars[key]) : `{${key}}`) + parts[i + 1]!;
  }
  return out;
}

/** An answer's text, placeholders filled. (Contacts belong to the guide: rules/contacts.yaml.) */
export function renderAnswer(answer: AnswerCopy, vars: Record<string, string | number> = {}): string {
  return fill(answer.text, vars);
}

/** Matches typed text to a button's meaning: 「どうすればいい？」 typed by hand works like the button. */
export function commandFor(copy: Copy, text: string): Command | null {
  const key = normalizeCommand(text);
  if (!key || key.length > 30) return null;
  return commandKeys(copy).get(key) ?? null;
}

const keysByCopy = new WeakMap<Copy, Map<string, Command>>();
/**
 * Every button's and command word's normalised form and its command, worked out once per copy rather
 * than for every text (thirty normalisations each time). The first command in COMMANDS order wins a
 * form two share, as the loop over them did.
 */
function commandKeys(copy: Copy): Map<string, Command> {
  let keys = keysByCopy.get(copy);
  if (!keys) {
    keys = new Map();
    for (const c of COMMANDS)
      for (const w of [copy.buttons[c], ...copy.commands[c]]) {
        const k = normalizeCommand(w);
        if (!keys.has(k)) keys.set(k, c);
      }
    keysByCopy.set(copy, keys);
  }
  return keys;
}

function normalizeCommand(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s?!。、．.…]+/g, '');
}

/**
 * Words from the rules that assume a mail (brands' 「メールのリンクは開かず…」) said of the message the
 * person actually got: an SMS or a LINE message is no mail.
 */
export function forChannel(text: string, mail: boolean): string {
  return mail ? text : text.replaceAll('メールのリンク', 'メッセージのリンク');
}
