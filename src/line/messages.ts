// Plain message builders: text answers and the quick-reply buttons under them.
import type { messagingApi } from '@line/bot-sdk';
import { COMMANDS, type Command, type Copy } from '../words.ts';
import { clip, LIMITS } from './limits.ts';

export type Message = messagingApi.Message;

/** Postback data of each button; parsed back by commandFromPostback. */
export function postbackData(c: Command): string {
  return `action=${c}`;
}

export function commandFromPostback(data: string): Command | null {
  const action = new URLSearchParams(data).get('action');
  return COMMANDS.find((c) => c === action) ?? null;
}

/**
 * The four buttons. Postback actions with displayText: the chat shows what the person chose, and the
 * bot gets an unambiguous command rather than text it would have to analyse as a forwarded message.
 * Made once per copy and kind, and shared by every answer that carries them (answers move it
 * from one message to another, never change it): ~13 objects less for each answer.
 */
export function quickReply(copy: Copy, phoneScam = false): messagingApi.QuickReply {
  let made = quickReplies.get(copy);
  if (!made) quickReplies.set(copy, (made = [buttons(copy, false), buttons(copy, true)]));
  return made[phoneScam ? 1 : 0];
}

// Parts of answers made once and shared by many (here, ./flex.ts, src/report/card.ts) are never
// changed: an answer moves its quick replies to another message, nothing edits a part in place. Not
// frozen: V8's JSON.stringify takes a slower path for frozen objects (~25,000 instructions more per
// answer, cachegrind); test/line/shared-parts.test.ts checks that answering leaves them as made.
const quickReplies = new WeakMap<Copy, [messagingApi.QuickReply, messagingApi.QuickReply]>();

function buttons(copy: Copy, phoneScam: boolean): messagingApi.QuickReply {
  // Four buttons: 「電話してしまった」 takes the place of the link button when there is a number to
  // call and no link.
  const shown = COMMANDS.filter((c) => (phoneScam ? c !== 'opened_link' : c !== 'called'));
  return {
    items: shown.map((c) => ({
      type: 'action' as const,
      action: {
        type: 'postback' as const,
        label: clip(copy.buttons[c], LIMITS.quickReplyLabel),
        data: postbackData(c),
        displayText: copy.buttons[c],
      },
    })),
  };
}

export function text(body: string, withButtons?: Copy): messagingApi.TextMessage {
  const m: messagingApi.TextMessage = { type: 'text', text: clip(body, LIMITS.textUnits) };
  if (withButtons) m.quickReply = quickReply(withButtons);
  return m;
}
