// The webhook's check of a body's shape (webhooks/line.ts, webhookEvents) takes exactly the bodies that
// src/line/events.ts's WebhookBody schema takes: the thread that acknowledges webhooks runs the cheap
// one, and the two must never disagree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WebhookBody } from '../../src/line/events.ts';
import { webhookEvents } from '../../webhooks/line.ts';

const agree = (body: unknown) => {
  const schema = WebhookBody.safeParse(body);
  const events = webhookEvents(body);
  expect(events !== null, JSON.stringify(body)?.slice(0, 200)).toBe(schema.success);
  // The events themselves, uncopied (parseEvent checks each in full; the schema's copy drops an own
  // "__proto__" key, which the webhook's JSON parser refuses before this anyway).
  if (schema.success) expect(events).toHaveLength(schema.data.events.length);
};

describe('webhook body shape', () => {
  it('agrees with the WebhookBody schema on the shapes that matter', () => {
    const ev = { type: 'message', webhookEventId: 'e' };
    for (const body of [
      { destination: 'U', events: [] },
      { destination: 'U', events: [ev, { type: 'follow' }] },
      { destination: 'U', events: [ev], extra: 1 },
      { destination: 1, events: [] },
      { events: [] },
      { destination: 'U' },
      { destination: 'U', events: {} },
      { destination: 'U', events: [null] },
      { destination: 'U', events: [[]] },
      { destination: 'U', events: [{ type: 1 }] },
      { destination: 'U', events: [{}] },
      { destination: 'U', events: [ev, 'x'] },
      [],
      null,
      'body',
      7,
      JSON.parse('{"destination":"U","events":[{"type":"x","__proto__":{"a":1}}]}'),
    ])
      agree(body);
  });

  it('agrees with it on any JSON value', () => {
    const event = fc.oneof(
      fc.record({ type: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const body = fc.oneof(
      fc.record(
        {
          destination: fc.oneof(fc.string(), fc.constant(null)),
          events: fc.oneof(fc.array(event), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(body, (b) => agree(JSON.parse(JSON.stringify(b)))),
      { numRuns: 500 },
    );
  });
});
