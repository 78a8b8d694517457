// The LINE webhook under load: the real server (`npm start`, default sqlite store, info logs) and the
// fake LINE API, each in its own process, and the load generator in this one (./lib/open-loop.ts;
// autocannon for the highest rate), on loopback. Every request is a signed webhook with one new text
// event, so each is de-duplicated, analysed and answered like real traffic.
// Figures: acknowledgement latency p50/p99 at 500 req/s, the highest throughput, webhook-to-reply
// latency (one at a time, and at 500 req/s), and events lost (acknowledged but never answered).
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openLoop } from './lib/open-loop.ts';
import { int, median, ms, percentile, sortedCopy, type Row, type Section } from './lib/report.ts';
import {
  cpuSeconds,
  serverFlags,
  serverStdout,
  startStandIn,
  stop,
  waitReady,
} from './lib/server-process.ts';
import { smsCorpus } from './lib/texts.ts';
import { serverEnv } from '../stand-ins/webhook.ts';

const SECRET = 'bench-channel-secret';
const RATE = 500;
const RATE_ROUNDS = 3;
const RATE_SECONDS = 10;
const WARMUP_SECONDS = 3;
const MAX_SECONDS = 5;
const STALL_MS = 5000;
const SEQUENTIAL = 300;
const ACK_P99_TARGET_MS = 20;
const REPLY_P95_TARGET_MS = 300;

const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;
const FAKE = new URL('./lib/fake-line-process.ts', import.meta.url).pathname;
const now = () => performance.timeOrigin + performance.now();
const texts = smsCorpus(2000, 7).map((s) => s.text);

export async function run(): Promise<Section> {
  const fake = await startFake();
  const dir = mkdtempSync(join(tmpdir(), 'sagicheck-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [...serverFlags(), MAIN], {
    env: serverEnv(
      { port, lineUrl: fake.url, storeUrl: `sqlite:${join(dir, 'bench.db')}`, secret: SECRET },
      // 1,000 simulated users send far more than 20 checks each: the per-user limit would silence them.
      { LOG_LEVEL: 'info', RATE_LIMIT_USER: 'off' },
    ),
    // Logs are written as in production, to a pipe nobody reads slowly.
    stdio: ['ignore', serverStdout(), 'inherit'],
  });
  try {
    await waitReady(base, server);
    const sent = new Map<string, number>(); // reply token → when its webhook was sent
    const acked = new Set<string>(); // reply tokens whose webhook got 200

    // Warm-up, not reported: JIT, sqlite pages, connection pools.
    await paced(base, sent, acked, WARMUP_SECONDS);
    await settle(fake, acked);

    // 1. Acknowledgement latency at the target rate, in rounds (the machine is shared: one busy moment
    //    should not decide the figure), and webhook-to-reply latency under that load.
    const rounds: Paced[] = [];
    const underLoad: number[] = [];
    let lostAtRate = 0;
    let events = 0;
    const cpuBefore = cpuSeconds(server.pid!);
    // Cores each process kept busy while the load ran (they all share this machine's cores).
    const cores = { server: 0, fake: 0, generator: 0 };
    for (let r = 0; r < RATE_ROUNDS; r++) {
      await fake.reset();
      sent.clear();
      acked.clear();
      const at = { server: cpuSeconds(server.pid!), fake: cpuSeconds(fake.pid), own: process.cpuUsage() };
      rounds.push(await paced(base, sent, acked, RATE_SECONDS));
      const own = process.cpuUsage(at.own);
      const share = (seconds: number) => seconds / RATE_SECONDS / RATE_ROUNDS;
      cores.server += share(cpuSeconds(server.pid!) - at.server);
      cores.fake += share(cpuSeconds(fake.pid) - at.fake);
      cores.generator += share((own.user + own.system) / 1e6);
      lostAtRate += await settle(fake, acked);
      underLoad.push(...replyLatencies(await fake.calls(), sent));
      events += sent.size;
    }
    const cpuPerEventMs = ((cpuSeconds(server.pid!) - cpuBefore) / events) * 1000;
    underLoad.sort((a, b) => a - b);

    // 2. The highest rate the server sustains (no rate limit, many connections).
    await fake.reset();
    sent.clear();
    acked.clear();
    const flatStart = now();
    const flat = await load(base, sent, acked, { connections: 50, duration: MAX_SECONDS });
    const lostFlat = await settle(fake, acked);
    const flatReplies = (await fake.calls()).replies;
    const lastReply = Math.max(...flatReplies.map(([, at]) => at));
    const processedRate = flatReplies.length / ((lastReply - flatStart) / 1000);
    const busy = flat.statusCodeStats?.['503']?.count ?? 0;

    // 3. Webhook-to-reply latency of a single text, one at a time (a quiet server).
    await fake.reset();
    sent.clear();
    for (let i = 0; i < SEQUENTIAL; i++) {
      const { raw, token } = webhookBody(i);
      sent.set(token, now());
      const res = await fetch(`${base}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': sign(raw) },
        body: raw,
      });
      await res.arrayBuffer();
      await waitFor(async () => (await fake.calls()).replies.some(([t]) => t === token));
    }
    const quiet = replyLatencies(await fake.calls(), sent);

    const ackP50 = median(rounds.map((r) => r.latency.p50));
    const ackP99 = median(rounds.map((r) => r.latency.p99));
    const quietP95 = percentile(quiet, 95);
    const loadP95 = percentile(underLoad, 95);
    const sum = (f: (r: Paced) => number) => rounds.reduce((a, r) => a + f(r), 0);
    const rows: Row[] = [
      [
        `ack latency p50 at ${RATE} req/s (median of ${RATE_ROUNDS} rounds of ${RATE_SECONDS} s)`,
        ms(ackP50),
        '—',
        null,
      ],
      [
        `ack latency p99 at ${RATE} req/s (median of rounds; each round: ${rounds.map((r) => ms(r.latency.p99)).join(', ')})`,
        ms(ackP99),
        '≤ 20 ms',
        ackP99 <= ACK_P99_TARGET_MS,
      ],
      [
        `requests at ${RATE} req/s, all rounds: sent / 200 / other`,
        `${int(sum((r) => r.requests.sent))} / ${int(sum((r) => r['2xx']))} / ${int(sum((r) => r.other))}`,
        '—',
        null,
      ],
      [
        `highest acknowledgement rate, 50 connections, ${MAX_SECONDS} s (mean)`,
        `${int(flat.requests.average)} req/s`,
        '—',
        null,
      ],
      [
        'at that rate: 200 / 503 (queue full: LINE is asked to redeliver) / other',
        `${int(flat['2xx'])} / ${int(busy)} / ${int(flat.non2xx - busy + flat.errors + flat.timeouts)}`,
        '—',
        null,
      ],
      ['ack latency p50 / p99 at that rate', `${ms(flat.latency.p50)} / ${ms(flat.latency.p99)}`, '—', null],
      [
        'events answered per second at full speed (first webhook → last reply)',
        `${int(processedRate)} events/s`,
        '—',
        null,
      ],
      [
        `server CPU time per event at ${RATE} req/s (user + system, all work: HTTP, store, analysis, reply)`,
        ms(cpuPerEventMs),
        '—',
        null,
      ],
      [
        `cores in use while at ${RATE} req/s: server (all threads) / fake LINE API / load generator (machine: ${availableParallelism()})`,
        [cores.server, cores.fake, cores.generator].map((c) => c.toFixed(2)).join(' / '),
        '—',
        null,
      ],
      [
        `webhook → reply, one text at a time, p50 / p95 (${quiet.length})`,
        `${ms(percentile(quiet, 50))} / ${ms(quietP95)}`,
        '≤ 300 ms (p95)',
        quietP95 <= REPLY_P95_TARGET_MS,
      ],
      [
        `webhook → reply at ${RATE} req/s, p50 / p95 / p99 (${int(underLoad.length)})`,
        `${ms(percentile(underLoad, 50))} / ${ms(loadP95)} / ${ms(percentile(underLoad, 99))}`,
        '≤ 300 ms (p95)',
        loadP95 <= REPLY_P95_TARGET_MS,
      ],
      [
        'events lost (acknowledged 200, never answered)',
        `${int(lostAtRate)} at ${RATE} req/s, ${int(lostFlat)} at full speed`,
        '0',
        lostAtRate === 0 && lostFlat === 0,
      ],
    ];
    const notes = [
      `Server: \`node src/server/main.ts\` (sqlite store in a temp directory, EVENT_THREADS=${process.env.EVENT_THREADS ?? 'unset: one per core, the second only while events wait'}, LOG_LEVEL=info, RATE_LIMIT_USER=off, logs to a pipe); load generator: ${RATE} req/s open loop (scripts/bench/lib/open-loop.ts: Poisson arrivals over at most 10 kept-alive connections; autocannon's overallRate sent each second's share in a burst at its start, so its events waited behind the burst), autocannon with 50 connections for the highest rate; the fake LINE API (scripts/stand-ins/fake-line.ts): three processes on 127.0.0.1. ${WARMUP_SECONDS} s warm-up first.`,
      `Each request: one signed webhook with one new text event (${texts.length} generated SMS texts of ~200 characters, phishing and genuine, from scripts/bench/lib/texts.ts), so every request is claimed in the store, analysed and answered with a Flex card.`,
      'Ack latency: the time a request was due → 200 received (a generator that falls behind is not hidden). Webhook → reply: the time the request was due (fetch, one at a time: when it was sent) → the fake LINE API receives the reply call (same clock).',
      'Lost: webhooks answered 200 whose reply never reached the fake LINE API, matched by reply token, once answers stopped coming for 5 s.',
      "The load generator, the fake LINE API and the server share the machine's cores: on a busy machine the ack tail mostly measures waiting for a core (see the load average below). Acknowledgements do not wait behind a backlog: the server's thread only reads webhooks, checks signatures, queues events and answers 200; accepted events are answered in event threads (src/server/event-threads.ts) that run below it in the CPU scheduler (nice 10). With the sqlite store, the backlog write is one transaction on the acknowledging thread's own connection: it leaves WAL checkpoints to the event threads' connections (a checkpoint in a webhook's commit held its 200 for 5–230 ms) and, when an event thread holds the write lock, tries again after 1 ms rather than at every turn (spinning kept the lower-priority holder from the core: waits of up to 370 ms on a busy machine). Those two held most of the slow webhooks on a busy machine (enqueues over 50 ms per run: 428 before, 202 with the 1 ms retry, 65 with both; over 5 ms at the first try: 271–320 → 46), and they grew with the machine's load, as the ack p99 did from 14 ms (2c08d76, load average 0.7) to 38 ms (load average 2.5); in the runs of that change (load average 7–10) the p99 itself stayed set by waiting for a core. When events arrive faster than that thread answers them (the CPU time per event above, most of it in that thread), they wait in the queue, so the reply latency under sustained load is set by the CPU time per event above.",
    ];
    return { title: 'LINE webhook', command: 'npm run bench -- webhook', rows, notes };
  } finally {
    await stop(server);
    fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let seq = 0;
function webhookBody(i: number): { raw: string; token: string } {
  const token = `rt-${randomUUID()}`;
  const event = {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    source: { type: 'user', userId: `U${String(i % 1000).padStart(32, '0')}` },
    webhookEventId: `01BENCH${String(++seq).padStart(12, '0')}${randomUUID().slice(0, 7)}`,
    deliveryContext: { isRedelivery: false },
    replyToken: token,
    message: { id: String(seq), type: 'text', quoteToken: 'q', text: texts[i % texts.length]! },
  };
  return { raw: JSON.stringify({ destination: `U${'b'.repeat(32)}`, events: [event] }), token };
}

function sign(raw: string): string {
  return createHmac('sha256', SECRET).update(raw).digest('base64');
}

interface Paced {
  latency: { p50: number; p99: number };
  requests: { sent: number };
  '2xx': number;
  /** Any other status, or no answer. */
  other: number;
}

/**
 * RATE webhooks a second for `seconds`, open loop (./lib/open-loop.ts: Poisson arrivals, each timed from
 * when it was due; autocannon's overallRate sent each second's share in a burst at its start).
 */
async function paced(
  base: string,
  sent: Map<string, number>,
  acked: Set<string>,
  seconds: number,
): Promise<Paced> {
  let i = 0;
  let ok = 0;
  let other = 0;
  const r = await openLoop(base, { rate: RATE, seconds, connections: 10 }, (due) => {
    const { raw, token } = webhookBody(i++);
    sent.set(token, performance.timeOrigin + due);
    return {
      path: '/webhooks/line',
      body: raw,
      headers: { 'x-line-signature': sign(raw) },
      done(status) {
        if (status === 200) {
          acked.add(token);
          ok++;
        } else other++;
      },
    };
  });
  const sorted = Array.from(r.latencies.sort());
  return {
    latency: { p50: percentile(sorted, 50), p99: percentile(sorted, 99) },
    requests: { sent: r.sent },
    '2xx': ok,
    other,
  };
}

/** Closed loop, as fast as the server answers: the highest rate it sustains. */
function load(
  base: string,
  sent: Map<string, number>,
  acked: Set<string>,
  opts: { overallRate?: number; connections?: number; duration: number },
): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url: `${base}/webhooks/line`,
    method: 'POST',
    connections: opts.connections ?? 10,
    overallRate: opts.overallRate,
    duration: opts.duration,
    requests: [
      {
        // One request at a time per connection: the context holds the token of the one in flight.
        setupRequest: (req, context) => {
          const { raw, token } = webhookBody(i++);
          (context as { token?: string }).token = token;
          sent.set(token, now());
          return {
            ...req,
            body: raw,
            headers: { ...req.headers, 'content-type': 'application/json', 'x-line-signature': sign(raw) },
          };
        },
        onResponse: (status, _body, context) => {
          const token = (context as { token?: string }).token;
          if (status === 200 && token) acked.add(token);
        },
      },
    ],
  });
}

interface Calls {
  /** [reply token, epoch ms] of every reply call. */
  replies: [string, number][];
  pushes: number;
  loading: number;
}

interface Fake {
  url: string;
  pid: number;
  calls(): Promise<Calls>;
  reset(): Promise<void>;
  close(): void;
}

async function startFake(): Promise<Fake> {
  const f = await startStandIn(FAKE);
  return {
    url: f.url,
    pid: f.pid,
    calls: () => f.ask<Calls>('calls'),
    reset: async () => void (await f.ask('reset')),
    close: f.close,
  };
}

/**
 * Waits until every acknowledged webhook was answered, or until no answer came for 5 s (the server
 * is still working through a backlog as long as answers keep coming); returns how many never were.
 */
async function settle(fake: Fake, acked: Set<string>): Promise<number> {
  const missing = async () => {
    const answered = new Set((await fake.calls()).replies.map(([token]) => token));
    return [...acked].filter((t) => !answered.has(t)).length;
  };
  let left = await missing();
  let lastProgress = Date.now();
  while (left > 0 && Date.now() - lastProgress < STALL_MS) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await missing();
    if (now < left) lastProgress = Date.now();
    left = now;
  }
  return left;
}

function replyLatencies(calls: Calls, sent: Map<string, number>): number[] {
  const out: number[] = [];
  for (const [token, at] of calls.replies) {
    const t = sent.get(token);
    if (t !== undefined) out.push(at - t);
  }
  return sortedCopy(out);
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('no reply within 5 s');
    await new Promise((r) => setTimeout(r, 1));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
