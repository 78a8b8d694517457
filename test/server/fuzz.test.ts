// Hostile webhook bodies, correctly signed so they get past the signature check (as if the channel
// secret had leaked, or LINE itself sent something odd): wrong types, huge arrays, deep nesting,
// unknown event types, odd Unicode, __proto__ keys. The server never crashes, never answers 5xx other
// than the documented 503 (queue full), and no event's handling throws.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Bot } from '../support/bot.ts';
import { BOT, postWebhook, sign } from '../../scripts/stand-ins/webhook.ts';

let bot: Bot;
const processErrors: unknown[] = [];
const onProcessError = (err: unknown) => void processErrors.push(err);
beforeAll(async () => {
  process.on('uncaughtException', onProcessError);
  process.on('unhandledRejection', onProcessError);
  // The real detector: random text reaches the analysis, the card builder and the LINE limits check.
  // The production body limit (1 MB); a small queue, so a big batch meets the documented 503.
  bot = await startBot({ options: { maxPending: 1000 } });
}, 60_000);
afterAll(async () => {
  await bot?.close();
  process.off('uncaughtException', onProcessError);
  process.off('unhandledRejection', onProcessError);
});

/** Posts a raw body, signed, and checks the answer is one the webhook documents. */
async function post(raw: string): Promise<number> {
  const res = await postWebhook(bot.url, raw, { 'x-line-signature': sign(raw) });
  expect([200, 400, 413, 503], `status ${res.status} for ${raw.slice(0, 200)}`).toContain(res.status);
  if (res.status === 503) expect(res.json).toMatchObject({ error: 'busy' });
  return res.status;
}

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E',
  '\u200B\u200D\uFEFF',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '𠮷野家',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '@',
  '【Amazon】https://amazon-co-jp.xyz/login',
  'どうすればいい？',
  'x'.repeat(6000),
  'あ'.repeat(5001),
  '\uD83D'.repeat(2600),
];
const oddString = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const anything = fc.oneof(
  { depthSize: 'small' },
  oddString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
/** Usually the right kind of value, one time in ten anything at all. */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: arb, weight: 9 }, { arbitrary: anything, weight: 1 });

const source = fc.oneof(
  fc.record({ type: fc.constant('user'), userId: sometimes(fc.constantFrom('U1', 'U' + 'a'.repeat(32))) }),
  fc.record({
    type: fc.constant('group'),
    groupId: sometimes(fc.constant('C' + 'b'.repeat(32))),
    userId: fc.option(oddString, { nil: undefined }),
  }),
  fc.record({ type: fc.constant('room'), roomId: sometimes(fc.constant('R1')) }),
  anything,
);
const mention = fc.record(
  {
    mentionees: sometimes(
      fc.array(
        fc.record({
          index: sometimes(fc.oneof(fc.integer({ min: -5, max: 7000 }), fc.double())),
          length: sometimes(fc.integer({ min: -5, max: 7000 })),
          isSelf: sometimes(fc.boolean()),
          type: fc.constantFrom('user', 'all'),
        }),
        { maxLength: 5 },
      ),
    ),
  },
  { requiredKeys: [] },
);
/** Message text: odd strings, and assemblies of pieces of phishing texts that reach deep into the detector. */
const PIECES = [
  '【Amazon】',
  'お支払い方法に問題があります',
  '24時間以内に',
  'https://amazon-co-jp.xyz/login',
  'hxxps://evil[.]top',
  'ｈｔｔｐｓ：／／',
  '090-1234-5678',
  '0120-',
  'support@amaz0n-help.top',
  '差出人: ',
  'From: "Amazon" <a@b.top>',
  '\u202E',
  '\u200B',
  '\uD800',
  '@さぎチェック',
  'どうすればいい？',
  '\n',
  ' ',
];
const messageText = fc.oneof(
  oddString,
  fc.array(fc.oneof(fc.constantFrom(...PIECES), oddString), { maxLength: 30 }).map((a) => a.join('')),
);
const message = fc.record(
  {
    id: sometimes(fc.string({ maxLength: 20 })),
    type: sometimes(
      fc.constantFrom('text', 'image', 'file', 'sticker', 'video', 'audio', 'location', 'emoji'),
    ),
    text: sometimes(messageText),
    mention: sometimes(mention),
    quoteToken: sometimes(fc.string()),
    fileName: sometimes(oddString),
    fileSize: sometimes(fc.integer()),
    contentProvider: sometimes(fc.record({ type: fc.constantFrom('line', 'external') })),
  },
  { requiredKeys: [] },
);
let n = 0;
const event = fc.record(
  {
    type: sometimes(
      fc.constantFrom(
        'message',
        'postback',
        'follow',
        'unfollow',
        'join',
        'leave',
        'unsend',
        'memberJoined',
        'memberLeft',
        'beacon',
        'accountLink',
        'things',
        'videoPlayComplete',
        'messageEdited',
        '__proto__',
        'constructor',
        'toString',
      ),
    ),
    mode: sometimes(fc.constantFrom('active', 'standby')),
    timestamp: sometimes(fc.integer()),
    source,
    // Mostly new ids (every event is handled), sometimes repeated ones (duplicates), sometimes junk.
    webhookEventId: sometimes(fc.constant(null).map(() => `FUZZ${++n}`)),
    deliveryContext: sometimes(fc.record({ isRedelivery: sometimes(fc.boolean()) })),
    replyToken: sometimes(fc.constant(null).map(() => `rt-fuzz-${n}`)),
    message,
    postback: sometimes(fc.record({ data: sometimes(oddString), params: anything }, { requiredKeys: [] })),
    unsend: sometimes(fc.record({ messageId: sometimes(fc.string()) })),
    follow: sometimes(fc.record({ isUnblocked: sometimes(fc.boolean()) })),
    joined: anything,
  },
  { requiredKeys: ['type'] },
);
const webhookBody = fc.oneof(
  {
    arbitrary: fc.record({ destination: fc.constant(BOT), events: fc.array(event, { maxLength: 6 }) }),
    weight: 8,
  },
  {
    arbitrary: fc.record(
      {
        destination: sometimes(fc.constant(BOT)),
        events: sometimes(fc.array(sometimes(event), { maxLength: 6 })),
      },
      { requiredKeys: [] },
    ),
    weight: 2,
  },
);

describe('signed hostile webhook bodies', { timeout: 120_000 }, () => {
  it('random webhook-shaped bodies: only documented statuses, no event handling throws', async () => {
    await fc.assert(
      fc.asyncProperty(webhookBody, async (b) => {
        await post(JSON.stringify(b));
      }),
      { numRuns: 400 },
    );
  });

  it('random JSON and random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
        ),
        async (raw) => {
          await post(raw);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('deep nesting, huge arrays, many keys, __proto__, escaped lone surrogates', async () => {
    const ok = (events: string) => `{"destination":"${BOT}","events":${events}}`;
    const textEvent = (id: string, text: string) =>
      `{"type":"message","mode":"active","timestamp":1,"source":{"type":"user","userId":"U${id}"},` +
      `"webhookEventId":"${id}","deliveryContext":{"isRedelivery":false},"replyToken":"rt-${id}",` +
      `"message":{"id":"1","type":"text","text":${text}}}`;
    const cases: [string, string][] = [
      ['arrays nested 100,000 deep', ok('[' + '['.repeat(100_000) + ']'.repeat(100_000) + ']')],
      [
        'objects nested 50,000 deep',
        ok(`[{"type":"x","a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}]`),
      ],
      ['text nested 10,000 deep', ok(`[${textEvent('DEEP1', '['.repeat(10_000) + ']'.repeat(10_000))}]`)],
      ['20,000 empty events', ok('[' + Array(20_000).fill('{}').join(',') + ']')],
      ['20,000 unknown events', ok('[' + Array(20_000).fill('{"type":"beacon"}').join(',') + ']')],
      [
        '3,000 valid text events in one body (queue holds 1,000)',
        ok('[' + Array.from({ length: 3000 }, (_, i) => textEvent(`BULK${i}`, '"テスト"')).join(',') + ']'),
      ],
      [
        '300 valid text events in one body',
        ok(
          '[' +
            Array.from({ length: 300 }, (_, i) =>
              textEvent(`MANY${i}`, '"【Amazon】https://amazon-co-jp.xyz/"'),
            ).join(',') +
            ']',
        ),
      ],
      [
        'an event with 20,000 keys',
        ok(`[{"type":"follow",${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}]`),
      ],
      ['__proto__ at the top', `{"__proto__":{"polluted":true},"destination":"${BOT}","events":[]}`],
      ['__proto__ in an event', ok(`[{"type":"follow","__proto__":{"isAdmin":true}}]`)],
      ['constructor.prototype', ok(`[{"type":"follow","constructor":{"prototype":{"x":1}}}]`)],
      ['escaped lone surrogates', ok(`[${textEvent('SURR1', '"\\ud800\\udfff\\ud83d x \\udc00"')}]`)],
      ['NUL and controls in ids', ok(`[${textEvent('NUL\\u0000\\u001b', '"x"')}]`)],
      ['numbers out of range', ok(`[{"type":"message","timestamp":1e999,"webhookEventId":"BIG1"}]`)],
      ['duplicate keys', `{"destination":"${BOT}","events":[],"events":[{"type":"follow"}]}`],
      ['text of 200,000 characters', ok(`[${textEvent('LONG1', JSON.stringify('あ'.repeat(200_000)))}]`)],
      ['an event id of 100,000 characters', ok(`[${textEvent('I'.repeat(100_000), '"x"')}]`)],
      [
        'an event type of 100,000 characters',
        ok(`[{"type":"${'t'.repeat(100_000)}","timestamp":1,"webhookEventId":"LONGTYPE1"}]`),
      ],
      ['BOM first', '\uFEFF' + ok('[]')],
      ['an empty object', '{}'],
      ['whitespace only', ' \n\t '],
    ];
    for (const [what, raw] of cases) {
      const status = await post(raw);
      expect([200, 400, 413, 503], what).toContain(status);
    }
  });

  it('afterwards: the server is up, every accepted event finished, and none of them threw', async () => {
    // The queue empties (events are analysed a few at a time).
    for (const until = Date.now() + 60_000; ;) {
      const m = await (await fetch(`${bot.url}/metrics`)).text();
      const inQueue = [...m.matchAll(/^sagicheck_webhook_queue_events\{state="\w+"\} (\d+)$/gm)];
      if (inQueue.length === 2 && inQueue.every((x) => x[1] === '0')) break;
      if (Date.now() > until) throw new Error('queue did not drain');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    expect(processErrors).toEqual([]);
    const problems = bot.logs.filter((l) =>
      /"msg":"(event failed|event task failed|webhook request failed|unhandled rejection)"/.test(l),
    );
    expect(problems.map((l) => l.slice(0, 600))).toEqual([]);
    // Hostile bodies cannot flood the logs: a few lines per request, none of them long.
    expect(Math.max(...bot.logs.map((l) => l.length))).toBeLessThan(4000);
    expect(bot.logs.filter((l) => l.includes('invalid event dropped')).length).toBeLessThan(5 * 700);
    // Nothing leaked into Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
