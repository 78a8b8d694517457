// Parts of answers made once and shared by every answer (the quick replies, the 「報告する」 card's fixed
// parts, the verdict card's own lines: src/line/messages.ts, src/report/card.ts, src/line/flex.ts) are
// not frozen (V8 serialises frozen objects on a slower path): answering must leave them as they were
// made. Every way an answer moves its quick replies (onto the report card, under the long-text note) runs
// here many times, and the answers stay the same, byte for byte.
import { describe, expect, it } from 'vitest';
import { handleEvent, type HandlerDeps } from '../../src/conversation/handler.ts';
import type { LineEvent } from '../../src/line/events.ts';
import { quickReply, type Message } from '../../src/line/messages.ts';
import { createLogger } from '../../src/log/logger.ts';
import { loadCopy } from '../../src/rules/replies.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { inGroup, inUser, textEvent } from '../../scripts/stand-ins/webhook.ts';
import { SCRIPTED, stubDetector } from '../support/verdicts.ts';

const copy = loadCopy();
const NOW = Date.parse('2026-12-03T04:05:00Z');

async function answer(text: string, user: number, group = false): Promise<Message[]> {
  const deps: HandlerDeps = {
    detector: Promise.resolve(stubDetector()),
    store: new MemoryStore(() => NOW),
    copy,
    now: () => NOW,
    log: createLogger('silent'),
  };
  const source = group ? inGroup() : inUser(`U${String(user).padStart(32, '0')}`);
  const outcome = await handleEvent(textEvent(text, source) as unknown as LineEvent, deps);
  await outcome.saving;
  return outcome.messages;
}

describe('parts shared by every answer', () => {
  it('are the same objects in every answer, and answering leaves them as they were made', async () => {
    const texts = [...Object.keys(SCRIPTED), `HIGH with link${'　'.repeat(6000)}`, 'x'.repeat(6000)];
    const first = new Map<string, string>();
    for (const t of texts) first.set(t, JSON.stringify(await answer(t, 0)));
    const buttons = [JSON.stringify(quickReply(copy)), JSON.stringify(quickReply(copy, true))];

    for (let round = 1; round <= 3; round++)
      for (const t of texts) {
        const messages = await answer(t, round);
        expect(JSON.stringify(messages)).toBe(first.get(t));
        // The buttons under the last message are the shared ones, not a copy.
        const last = messages.at(-1)!;
        if (last.quickReply) expect([quickReply(copy), quickReply(copy, true)]).toContain(last.quickReply);
        await answer(t, round, true); // a group's answer, without the report card
      }
    expect([JSON.stringify(quickReply(copy)), JSON.stringify(quickReply(copy, true))]).toEqual(buttons);
    // The report card went out, with the buttons moved onto it.
    expect(first.get('HIGH with link')).toContain('"action":{"type":"uri","label"');
  });
});
