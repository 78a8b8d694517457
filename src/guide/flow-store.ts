// Where a person is in the guide, kept in the store under the chat's id (so unfollow and leave, which
// delete everything of that id, delete it too). Only codes and times (see Flow in flow.ts): never the
// text of a message or anything the person typed.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { Flow } from './flow.ts';

export const FLOW_NS = 'flow';
/** A person may come back to the guide, or need the 相談メモ for the police, days later. */
export const FLOW_TTL_MS = 7 * 24 * 60 * 60_000;

export function newFlowId(): string {
  return randomBytes(6).toString('base64url');
}

export async function loadFlow(store: Store, chatId: string): Promise<Flow | null> {
  return store.get<Flow>(FLOW_NS, chatId);
}

export async function saveFlow(store: Store, chatId: string, flow: Flow, now: number): Promise<void> {
  await store.set(FLOW_NS, chatId, { ...flow, updated: now }, FLOW_TTL_MS);
}
