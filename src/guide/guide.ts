// 「どうすればいい？」: the calm guide after a verdict. Works out what the person did (buttons or their
// own words), builds the steps for it (most urgent first, with the brand of the last verdict), and
// walks through them one message at a time, remembering the position so the person can come back.
// Each entry point loads the flow and the last verdict, applies what the person did (apply.ts, pure),
// saves the flow and renders the answer (messages.ts). Called by the conversation handler; knows
// nothing of HTTP.
import type { Copy } from '../words.ts';
import { lastVerdict } from '../store/context.ts';
import type { Store } from '../store/store.ts';
import { apply, type Applied, type GuideInput, type GuideState } from './apply.ts';
import { parseAction } from './buttons.ts';
import { loadFlow, newFlowId, saveFlow } from './flow-store.ts';
import type { Guide } from './load.ts';
import { render, type GuideAnswer } from './messages.ts';
import { looksForwarded, navFor, understand } from './understand.ts';

export type { GuideAnswer } from './messages.ts';

export interface GuideDeps {
  /** May still be loading (it shares the detector's dictionary). */
  guide: Guide | Promise<Guide>;
  store: Store;
  /** The bot's other words (rules/replies.yaml): verdict titles. */
  copy: Copy;
  now: () => number;
}

export type GuideCommand = 'help' | 'opened_link' | 'entered_info' | 'called';

/** The buttons under a verdict, or the same words typed. */
const COMMANDS: Record<GuideCommand, GuideInput> = {
  help: { op: 'help' },
  opened_link: { op: 'add', intents: ['opened_link'], assumed: false },
  entered_info: { op: 'ask', q: 'entered' },
  called: { op: 'add', intents: ['called_number'], assumed: false },
};

export async function guideCommand(cmd: GuideCommand, chatId: string, deps: GuideDeps): Promise<GuideAnswer> {
  return run(await load(chatId, await deps.guide, deps), [COMMANDS[cmd]], chatId, deps);
}

/** A person's own words: what they did, a question, a typed button. Null: not for the guide. */
export async function guideText(body: string, chatId: string, deps: GuideDeps): Promise<GuideAnswer | null> {
  // Without a Japanese word it is nothing the guide understands: no need to wait for the dictionary.
  if (body.length > 200 || !JAPANESE.test(body)) return null;
  const guide = await deps.guide;
  const m = guide.matcher;
  if (looksForwarded(m, body)) return null;
  const nav = navFor(m, body);
  const state = await load(chatId, guide, deps, refersEarlier(guide, body));
  if (nav) return run(state, [{ op: 'nav', nav }], chatId, deps);
  const u = understand(m, body, state.flow?.awaiting === 'entered' ? 'enter' : undefined);
  const inputs: GuideInput[] = [];
  // Several things in one message: each is applied; the answer is the last one's.
  if (u.intents.length) inputs.push({ op: 'add', intents: u.intents, assumed: false });
  if (u.memo) inputs.push({ op: 'memo' });
  else if (u.enteredUnknown) inputs.push({ op: 'ask', q: 'entered' });
  else if (!u.intents.length && u.contacted) inputs.push({ op: 'contacted' });
  else if (!u.intents.length && u.help) inputs.push({ op: 'help' });
  return inputs.length ? run(state, inputs, chatId, deps) : null;
}

/** A tap on one of the guide's buttons. Null: the postback is not the guide's. */
export async function guidePostback(
  data: string,
  chatId: string,
  deps: GuideDeps,
): Promise<GuideAnswer | null> {
  const action = parseAction(data);
  if (!action) return null;
  return run(await load(chatId, await deps.guide, deps), [{ op: 'tap', action }], chatId, deps);
}

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

/** 「最初のほうのリンクを開いた」: about the message checked before the last one. */
function refersEarlier(guide: Guide, body: string): boolean {
  const t = body.normalize('NFKC');
  return guide.rules.intents.turns.earlier.some((w) => t.includes(w.normalize('NFKC')));
}

/** The stored flow and the verdict talked about. */
async function load(chatId: string, guide: Guide, deps: GuideDeps, earlier = false): Promise<GuideState> {
  const [flow, last] = await Promise.all([loadFlow(deps.store, chatId), lastVerdict(deps.store, chatId)]);
  // The person points at the message before the last one: the guide is about that one.
  const ctx = earlier && last?.previous ? last.previous : last;
  return { rules: guide.rules, flow, ctx, last, now: deps.now(), newId: newFlowId() };
}

/** Applies the inputs in turn, saves the flow if one of them changed it, renders the last answer. */
async function run(
  state: GuideState,
  inputs: GuideInput[],
  chatId: string,
  deps: GuideDeps,
): Promise<GuideAnswer> {
  let s = state;
  let saved = false;
  let out: Applied | null = null;
  for (const input of inputs) {
    out = apply(s, input);
    saved ||= out.save;
    s = { ...s, flow: out.flow };
  }
  if (saved && s.flow) await saveFlow(deps.store, chatId, s.flow, s.now);
  return render(out!.reply, s.flow, { rules: s.rules, replies: deps.copy, ctx: s.ctx, now: s.now });
}
