// The guide's buttons: postback data (what a tap means, parsed back by parseAction) and quick replies.
// Every button is a postback with displayText, so the chat shows what was chosen and the bot gets an
// unambiguous action rather than text to analyse.
import type { messagingApi } from '@line/bot-sdk';
import { clip, LIMITS } from '../line/limits.ts';
import { ACTION_INTENTS, type ActionIntent, type GuideCopy } from '../rules/schema.ts';

export type Question = 'happened' | 'entered' | 'more' | 'other';
export type GuideAction =
  | { op: 'add'; intents: ActionIntent[] }
  | { op: 'ask'; q: Question }
  | { op: 'memo' }
  | { op: 'done' | 'next'; flow: string; step: string }
  | { op: 'all' | 'restart' | 'resume'; flow: string };

const QUESTIONS: Question[] = ['happened', 'entered', 'more', 'other'];
const FLOW_OPS = ['all', 'restart', 'resume'] as const;

export function actionData(a: GuideAction): string {
  const p = new URLSearchParams({ g: a.op });
  if (a.op === 'add') p.set('i', a.intents.join('.'));
  else if (a.op === 'ask') p.set('q', a.q);
  else if (a.op !== 'memo') {
    p.set('f', a.flow);
    if (a.op === 'done' || a.op === 'next') p.set('s', a.step);
  }
  return p.toString();
}

/** The guide's action in a postback; null when the data is not the guide's. Damaged data asks again. */
export function parseAction(data: string): GuideAction | null {
  const p = new URLSearchParams(data);
  const op = p.get('g');
  if (op === null) return null;
  const flow = p.get('f') ?? '';
  const step = p.get('s') ?? '';
  if (op === 'add') {
    const intents = (p.get('i') ?? '').split('.').filter((i): i is ActionIntent => isIntent(i));
    if (intents.length) return { op, intents };
  } else if (op === 'ask') {
    const q = QUESTIONS.find((x) => x === p.get('q'));
    if (q) return { op, q };
  } else if (op === 'memo') return { op };
  else if ((op === 'done' || op === 'next') && flow && step) return { op, flow, step };
  else if (flow) {
    const o = FLOW_OPS.find((x) => x === op);
    if (o) return { op: o, flow };
  }
  return { op: 'ask', q: 'happened' };
}

function isIntent(s: string): s is ActionIntent {
  return (ACTION_INTENTS as readonly string[]).includes(s);
}

export function button(label: string, a: GuideAction): messagingApi.QuickReplyItem {
  return {
    type: 'action',
    action: {
      type: 'postback',
      label: clip(label, LIMITS.quickReplyLabel),
      data: actionData(a),
      displayText: label,
    },
  };
}

export function quickReply(items: messagingApi.QuickReplyItem[]): messagingApi.QuickReply {
  return { items: items.slice(0, LIMITS.quickReplyItems) };
}

/**
 * Under one step: できた, 次へ, まとめて見る (最初から once past the first step), 相談メモ, and
 * ほかにしたこと last: four plus one, so all fit on a phone's screen.
 */
export function stepButtons(copy: GuideCopy, flow: string, step: string, pos = 0): messagingApi.QuickReply {
  const b = copy.buttons;
  return quickReply([
    button(b.done, { op: 'done', flow, step }),
    button(b.next, { op: 'next', flow, step }),
    pos > 0 ? button(b.restart, { op: 'restart', flow }) : button(b.all, { op: 'all', flow }),
    button(b.memo, { op: 'memo' }),
    button(b.more, { op: 'ask', q: 'more' }),
  ]);
}

/** After the last step. */
export function finishedButtons(copy: GuideCopy, flow: string): messagingApi.QuickReply {
  const b = copy.buttons;
  return quickReply([
    button(b.memo, { op: 'memo' }),
    button(b.all, { op: 'all', flow }),
    button(b.more, { op: 'ask', q: 'more' }),
    button(b.restart, { op: 'restart', flow }),
  ]);
}

/** Under the summary and the 相談メモ. */
export function backButtons(
  copy: GuideCopy,
  flow: string | null,
  withMemo: boolean,
): messagingApi.QuickReply {
  const b = copy.buttons;
  const items: messagingApi.QuickReplyItem[] = [];
  if (flow) items.push(button(b.resume, { op: 'resume', flow }), button(b.restart, { op: 'restart', flow }));
  if (withMemo) items.push(button(b.memo, { op: 'memo' }));
  items.push(button(b.more, { op: 'ask', q: 'more' }));
  return quickReply(items);
}

/** The answers of a question, each adding intents or leading to the next question; `other` last. */
export function optionButtons(
  options: GuideCopy['options']['happened'],
  other?: { label: string; q: Question },
): messagingApi.QuickReply {
  const items = options.map((o) =>
    button(o.label, o.intents ? { op: 'add', intents: o.intents } : { op: 'ask', q: o.ask ?? 'entered' }),
  );
  if (other) items.push(button(other.label, { op: 'ask', q: other.q }));
  return quickReply(items);
}
