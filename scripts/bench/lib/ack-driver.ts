// The acknowledging thread alone: the real webhook route (buildApp, webhooks/line.ts, intake.ts) on a
// real redis-server, with no event threads (what it wrote stays in the backlog), and signed webhooks
// from a client in a process of its own. Prints the CPU this process used per webhook (its main thread,
// and the process), bytes allocated and promoted by scavenges per webhook (GCProfiler), and with
// --expose-gc what stayed alive. For a look at one change to the acknowledging path, not a section of
// `npm run bench` (timings move with whatever else the machine runs: alternate before and after):
//   node scripts/bench/lib/ack-driver.ts [EVENTS] [CONNECTIONS]   (CONNECTIONS 0: open loop, 1,000/s)
// With valgrind, instructions per webhook are the difference between two runs (start-up and warm-up
// are the same; V8's JIT needs --smc-check). Count the main thread alone: V8's helper threads (compile
// jobs, GC) move the whole process's count by several per cent from run to run.
//   ACK_WARMUP=2000 valgrind --tool=callgrind --separate-threads=yes --dump-instr=no \
//     --smc-check=all-non-file --callgrind-out-file=/tmp/cg.300.%p \
//     node_modules/.bin/node scripts/bench/lib/ack-driver.ts 300 1   (then 1300 1; the main thread's
//     file ends in -01, its total on the "summary:" line)
// ACK_PROFILE / ACK_HEAP_PROFILE=FILE write a CPU or sampling heap profile of the measured webhooks
// (ACK_HEAP_SURVIVORS=1: only what outlived a scavenge); ACK_LOG=1 prints the server's log lines.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { GCProfiler } from 'node:v8';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { buildApp } from '../../../src/server/app.ts';
import { backlogKey } from '../../../src/server/backlog.ts';
import { createMetrics, metricsText } from '../../../src/server/metrics.ts';
import type { Runtime } from '../../../src/server/runtime.ts';
import { RedisStore } from '../../../src/store/redis.ts';
import { createJsonPoster } from '../../../src/line/http-post.ts';
import { startRedis } from '../../stand-ins/redis-server.ts';
import { openLoop } from './open-loop.ts';
import { smsCorpus } from './texts.ts';

const SECRET = 'bench-channel-secret';
const USERS = 20_000;
/** Webhooks before the measured ones (ACK_WARMUP): V8 goes on optimising for thousands of calls. */
const WARMUP = Number(process.env.ACK_WARMUP ?? 300);

if (process.argv[2] === 'client')
  await client(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else await server(Number(process.argv[2] ?? 3000), Number(process.argv[3] ?? 4));

async function server(events: number, connections: number): Promise<void> {
  const redis = await startRedis();
  const store = new RedisStore(redis.url);
  const config = loadConfig({
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'x',
    STORE_URL: redis.url,
    SIMULATOR: '0',
  });
  let logLines = 0;
  const logger = createLogger('info', {
    write: (line: string) => {
      if (process.env.ACK_LOG) process.stderr.write(line);
      logLines++;
    },
  });
  // Store calls that wrote the webhooks (intake.ts writes those of one turn together).
  let writes = 0;
  const enqueue = store.backlog.enqueue.bind(store.backlog);
  store.backlog.enqueue = (items, dedupeMs) => {
    writes++;
    return enqueue(items, dedupeMs);
  };
  const metrics = createMetrics();
  let woken = 0;
  const runtime: Runtime = {
    mode: { threads: 1, answersHere: false, handlesHere: false },
    deps: { store, logger },
    metrics,
    sealKey: backlogKey(SECRET),
    handlerDeps: null,
    ready: Promise.resolve(),
    load: () => Promise.resolve(),
    wake: () => void woken++,
    running: () => 0,
    done: () => 0,
    stuck: () => null,
    oldestWaitingSince: () => null,
    metricsText: () => Promise.resolve(metricsText(metrics, [])),
    close: () => Promise.resolve(),
  };
  const app = await buildApp(config, runtime, { maxPending: 1e9 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await send(url, WARMUP, connections);
    const live0 = liveHeap();
    const gc = new GCProfiler();
    const used0 = process.memoryUsage().heapUsed;
    gc.start();
    const profiler = await startProfile();
    const writes0 = writes;
    const thread0 = mainThreadCpu();
    const cpu0 = process.cpuUsage();
    const acked = await send(url, events, connections);
    const cpu = process.cpuUsage(cpu0);
    const t1 = mainThreadCpu();
    const thread = { user: t1.user - thread0.user, system: t1.system - thread0.system };
    await profiler?.stop();
    const heap = heapFlow(gc.stop(), used0, process.memoryUsage().heapUsed);
    const per = (x: number) => ((x / acked) * 1000).toFixed(3);
    console.log(
      JSON.stringify({
        events,
        connections,
        acked,
        mainThreadMsPerEvent: per(thread.user + thread.system),
        ofWhichSystem: per(thread.system),
        processMsPerEvent: per((cpu.user + cpu.system) / 1e6),
        allocatedBytesPerEvent: Math.round(heap.allocated / acked),
        promotedBytesPerEvent: Math.round(heap.promoted / acked),
        scavenges: heap.scavenges,
        webhooksPerWrite: (acked / Math.max(1, writes - writes0)).toFixed(2),
        woken,
        logLines,
        // What stayed alive per webhook (after a full collection), with --expose-gc.
        liveBytesPerEvent: live0 === null ? null : Math.round((liveHeap()! - live0) / acked),
      }),
    );
  } finally {
    await app.close();
    await store.close();
    await redis.stop();
  }
}

/** Runs the client process: `events` webhooks over `connections` connections; resolves with the 200s. */
function send(url: string, events: number, connections: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [import.meta.filename, 'client', url, String(events), String(connections)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`client: ${code}`)),
    ),
  );
}

/** `connections` 0: open loop at RATE webhooks a second (ACK_RATE, 1,000 unless set) instead. */
async function client(url: string, events: number, connections: number): Promise<void> {
  const rate = connections === 0 ? Number(process.env.ACK_RATE ?? 1000) : 0;
  const texts = smsCorpus(2000, 11).map((s) => s.text);
  const poster = createJsonPoster(url, [['content-type', 'application/json']], connections);
  let next = 0;
  let acked = 0;
  const worker = async () => {
    while (next < events) {
      const i = next++;
      const raw = webhookBody(i, texts[i % texts.length]!);
      const sig = createHmac('sha256', SECRET).update(raw).digest('base64');
      const a = await poster.post('/webhooks/line', raw, 10_000, { 'x-line-signature': sig });
      if (a.status === 200) acked++;
    }
  };
  if (rate) {
    // Open loop, as the load bench offers its webhooks: Poisson arrivals over 100 connections.
    const r = await openLoop(url, { rate, seconds: events / rate, connections: 100 }, () => {
      const i = next++;
      const raw = webhookBody(i, texts[i % texts.length]!);
      const sig = createHmac('sha256', SECRET).update(raw).digest('base64');
      return {
        path: '/webhooks/line',
        body: raw,
        headers: { 'x-line-signature': sig },
        done: (status) => void (status === 200 && acked++),
      };
    });
    void r;
  } else await Promise.all(Array.from({ length: connections }, worker));
  poster.close();
  process.stdout.write(`${acked}\n`);
}

/** As the load bench's: one new text event from one of 20,000 users. */
function webhookBody(i: number, text: string): string {
  const event = {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    source: { type: 'user', userId: `U${String(i % USERS).padStart(32, '0')}` },
    webhookEventId: `01LOAD${String(i).padStart(12, '0')}${randomUUID().slice(0, 8)}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `rt-${randomUUID()}`,
    message: { id: String(i), type: 'text', quoteToken: 'q', text },
  };
  return JSON.stringify({ destination: `U${'b'.repeat(32)}`, events: [event] });
}

/** CPU seconds of this process's main thread (Linux), which the acknowledging work runs on. */
function mainThreadCpu(): { user: number; system: number } {
  const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/**
 * ACK_PROFILE=FILE: a CPU profile of the measured webhooks only (not the start or the warm-up);
 * ACK_HEAP_PROFILE=FILE: a sampling heap profile of them (every allocation, collected since or not).
 */
async function startProfile() {
  const file = process.env.ACK_PROFILE ?? process.env.ACK_HEAP_PROFILE;
  if (!file) return null;
  const heap = !process.env.ACK_PROFILE;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))),
    );
  if (heap)
    await post('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !process.env.ACK_HEAP_SURVIVORS,
    });
  else {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
  }
  return {
    async stop() {
      const method = heap ? 'HeapProfiler.stopSampling' : 'Profiler.stop';
      const { profile } = (await post(method)) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function liveHeap(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return process.memoryUsage().heapUsed;
}

interface GcStat {
  gcType: string;
  beforeGC: { heapStatistics: { usedHeapSize: number }; heapSpaceStatistics: Space[] };
  afterGC: { heapStatistics: { usedHeapSize: number }; heapSpaceStatistics: Space[] };
}
interface Space {
  spaceName: string;
  spaceUsedSize: number;
}

/**
 * Bytes allocated on the heap meanwhile (what grew between collections, from `used0` to `used1`), and
 * bytes scavenges moved to the old generation (what outlived the young one).
 */
function heapFlow(profile: unknown, used0: number, used1: number) {
  const stats = (profile as { statistics: GcStat[] }).statistics;
  const old = (s: Space[]) => s.find((x) => x.spaceName === 'old_space')?.spaceUsedSize ?? 0;
  let allocated = 0;
  let promoted = 0;
  let scavenges = 0;
  let last = used0;
  for (const s of stats) {
    allocated += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - last);
    last = s.afterGC.heapStatistics.usedHeapSize;
    if (s.gcType === 'Scavenge') {
      scavenges++;
      promoted += Math.max(0, old(s.afterGC.heapSpaceStatistics) - old(s.beforeGC.heapSpaceStatistics));
    }
  }
  allocated += Math.max(0, used1 - last);
  return { allocated, promoted, scavenges };
}
