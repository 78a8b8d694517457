// Where a person is in the guide, kept in the store under the chat's id (so unfollow and leave, which
// delete everything of that id, delete it too). Only codes and times: the intents, the step ids, which
// steps were marked done and when, and the last verdict's risk, brand, story and time for the 相談メモ.
// Never the text of a message or anything the person typed.
import { randomBytes } from 'node:crypto';
import type { Risk } from '../detector/types.ts';
import type { ActionIntent } from '../rules/schema.ts';
import type { Store } from '../store/store.ts';

export const FLOW_NS = 'flow';
/** A person may come back to the guide, or need the 相談メモ for the police, days later. */
export const FLOW_TTL_MS = 7 * 24 * 60 * 60_000;

export type FlowVerdict = {
  risk: Risk;
  brand: string | null;
  scenario: string | null;
  at: number;
  /** The message was a mail (else an SMS or LINE message: the steps say メッセージ). */
  mail?: boolean;
};

export type Flow = {
  /** Carried by the step buttons, so a button of an older guide is recognised. */
  id: string;
  intents: ActionIntent[];
  /** Started from 「どうすればいい？」 after a verdict, before the person said what they did. */
  assumed: boolean;
  verdict: FlowVerdict | null;
  /** Step ids in the order shown. */
  steps: string[];
  /** Index of the step on screen; steps.length once the last one is passed. */
  pos: number;
  /** [step id, when marked done]. */
  done: [string, number][];
  /** The bot asked "what did you enter?" and waits for the answer. */
  awaiting: 'entered' | null;
  started: number;
  updated: number;
};

export function newFlowId(): string {
  return randomBytes(6).toString('base64url');
}

export async function loadFlow(store: Store, chatId: string): Promise<Flow | null> {
  return store.get<Flow>(FLOW_NS, chatId);
}

export async function saveFlow(store: Store, chatId: string, flow: Flow, now: number): Promise<void> {
  flow.updated = now;
  await store.set(FLOW_NS, chatId, flow, FLOW_TTL_MS);
}

export function isDone(flow: Flow, stepId: string): boolean {
  return flow.done.some(([id]) => id === stepId);
}
