// A lean stand-in for the LINE Messaging API for scripts/bench/load.ts, in its own process: it keeps only
// how many replies each reply token got (the test stand-in, scripts/stand-ins/fake-line.ts, keeps every
// request whole, which at tens of thousands of Flex cards costs memory and CPU that the machine under
// test needs). Prints its URL; over IPC, "count" answers the number of reply calls so far, "tokens"
// the [reply token, replies] pairs, "reset" forgets them. REPLY_BODIES_DIR=DIR also writes every reply
// call's body, as received, to DIR/replies-PID.jsonl (one line each: compare two runs with
// scripts/replies-same.ts).
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const TOKEN = 'Bearer test-access-token';
const replies = new Map<string, number>();
let replyCalls = 0;
let pushCalls = 0;
let otherCalls = 0;
const bodiesDir = process.env.REPLY_BODIES_DIR;
const bodiesFile = bodiesDir ? `${bodiesDir}/replies-${process.pid}.jsonl` : null;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== TOKEN) return send(401, { message: 'Authentication failed' });
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/v2/bot/message/reply') {
      replyCalls++;
      const body = Buffer.concat(chunks).toString('utf8');
      // A JSON body holds no raw line break, so one line per call.
      if (bodiesFile) appendFileSync(bodiesFile, `${body}\n`);
      try {
        const token = (JSON.parse(body) as { replyToken?: string }).replyToken;
        if (typeof token === 'string') replies.set(token, (replies.get(token) ?? 0) + 1);
      } catch {
        /* counted as a call without a token */
      }
      return send(200, { sentMessages: [] });
    }
    if (req.method === 'POST' && path === '/v2/bot/message/push') {
      pushCalls++;
      return send(200, { sentMessages: [] });
    }
    if (req.method === 'POST' && path === '/v2/bot/chat/loading/start') return send(202, {});
    otherCalls++;
    return send(404, { message: 'Not found' });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

process.on('message', (msg: string) => {
  if (msg === 'count') process.send!({ replyCalls, pushCalls, otherCalls, tokens: replies.size });
  else if (msg === 'tokens') process.send!({ tokens: [...replies] });
  else if (msg === 'reset') {
    replies.clear();
    replyCalls = pushCalls = otherCalls = 0;
    process.send!({ reset: true });
  }
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
