// The detector: cold start to first verdict, memory after load, warm latency and throughput for
// ~200-character SMS texts, and latency for ~20 KB mails. Cold starts run in fresh processes one after
// another (parallel runs would share the 2 cores); the warm figures come from one more fresh process, so
// nothing the runner loaded skews them.
import { int, mb, median, ms, percentile, sortedCopy, type Row, type Section } from './lib/report.ts';
import { runChild } from './lib/child.ts';
import type { ColdResult } from './lib/detector-cold.ts';
import type { WarmResult } from './lib/detector-warm.ts';
import { SMS_TEMPLATES } from './lib/texts.ts';

const COLD_RUNS = 7;
const COLD_TARGET_MS = 2000;
const RSS_TARGET = 250e6;
const SMS_P99_TARGET_MS = 5;
const THROUGHPUT_TARGET = 1000;

const COLD = new URL('./lib/detector-cold.ts', import.meta.url);
const WARM = new URL('./lib/detector-warm.ts', import.meta.url);

export async function run(): Promise<Section> {
  // One unreported run first: it pulls the dictionary files into the page cache, as any earlier start
  // of the server would have.
  await runChild<ColdResult>(COLD, { env: { BENCH_SPAWNED_AT: String(process.hrtime.bigint()) } });
  const colds: ColdResult[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const spawnedAt = process.hrtime.bigint();
    colds.push(await runChild<ColdResult>(COLD, { env: { BENCH_SPAWNED_AT: String(spawnedAt) } }));
    process.stderr.write('.');
  }
  process.stderr.write(' cold starts done; warm runs take ~30 s\n');
  const warm = await runChild<WarmResult>(WARM, { flags: ['--expose-gc'] });

  const cold = colds.map((c) => c.sinceSpawnMs);
  const coldMedian = median(cold);
  const coldMax = Math.max(...cold);
  const stage = (f: (c: ColdResult) => number) => ms(median(colds.map(f)));
  const rss = median(colds.map((c) => c.memory.rss));
  const heapUsed = median(colds.map((c) => c.memory.heapUsed));
  const external = median(colds.map((c) => c.memory.external));
  const arrayBuffers = median(colds.map((c) => c.memory.arrayBuffers));

  const sms = sortedCopy(warm.smsMs);
  const best = sortedCopy(warm.smsBestMs);
  const mail = sortedCopy(warm.mailMs);
  const tokSms = sortedCopy(warm.tokenizerSmsMs);
  const tokMail = sortedCopy(warm.tokenizerMailMs);
  const smsP99 = percentile(sms, 99);
  const rate = median(warm.throughput);
  const before = warm.memoryAfterLoad;
  const after = warm.memoryAfterRuns;

  const rows: Row[] = [
    [
      `cold start, spawn → first verdict, median of ${COLD_RUNS}`,
      ms(coldMedian),
      '≤ 2 s',
      coldMedian <= COLD_TARGET_MS,
    ],
    [
      `cold start, spawn → first verdict, max of ${COLD_RUNS}`,
      ms(coldMax),
      '≤ 2 s',
      coldMax <= COLD_TARGET_MS,
    ],
    [
      'cold start stages (medians): Node boot / import / loadDetector / first analyze',
      `${stage((c) => c.bootMs)} / ${stage((c) => c.importMs)} / ${stage((c) => c.loadMs)} / ${stage((c) => c.firstAnalyzeMs)}`,
      '—',
      null,
    ],
    ['RSS after load and first verdict, after gc (median)', mb(rss), '≤ 250 MB', rss <= RSS_TARGET],
    [
      'heapUsed / external (of which ArrayBuffers) after load (medians)',
      `${mb(heapUsed)} / ${mb(external)} (${mb(arrayBuffers)})`,
      '—',
      null,
    ],
    [`SMS ~200 chars, p50 per message (${int(sms.length)} timed)`, ms(percentile(sms, 50)), '—', null],
    ['SMS ~200 chars, p99 per message', ms(smsP99), '≤ 5 ms', smsP99 <= SMS_P99_TARGET_MS],
    ['SMS ~200 chars, max', ms(sms.at(-1)!), '—', null],
    [
      `SMS ~200 chars, p50 / p99 of each text's best of ${warm.settings.smsPasses} passes (intrinsic cost)`,
      `${ms(percentile(best, 50))} / ${ms(percentile(best, 99))}`,
      '—',
      null,
    ],
    [
      `SMS throughput, one thread (median of ${warm.throughput.length} rounds)`,
      `${int(rate)} SMS/s`,
      '≥ 1,000 SMS/s',
      rate >= THROUGHPUT_TARGET,
    ],
    [
      'same, per second of CPU time of the analysing thread',
      `${int(median(warm.throughputCpu))} SMS/s`,
      '—',
      null,
    ],
    ['tokenizer alone, p50 per SMS (for comparison)', ms(percentile(tokSms, 50)), '—', null],
    [
      `mail ~20 KB with headers and 13 links, p50 / p99 (${int(mail.length)} timed)`,
      `${ms(percentile(mail, 50))} / ${ms(percentile(mail, 99))}`,
      '—',
      null,
    ],
    ['tokenizer alone, p50 per 20 KB mail (for comparison)', ms(percentile(tokMail, 50)), '—', null],
    [
      'warm process after gc, after load → after all runs: RSS / heapTotal / heapUsed',
      [before.rss, before.heapTotal, before.heapUsed]
        .map((x, i) => `${mb(x)} → ${mb([after.rss, after.heapTotal, after.heapUsed][i]!)}`)
        .join(' / '),
      '—',
      null,
    ],
  ];

  const risks = (r: WarmResult['sms']['risks']) => `high ${r.high}, medium ${r.medium}, low ${r.low}`;
  const notes = [
    `Cold start: ${COLD_RUNS} fresh processes in a row, started like \`npm start\` (no --expose-gc; gc is enabled only after the first verdict to read memory), after one unreported run that warms the page cache. Time from the parent's spawn() to the first verdict; runs: ${cold.map((x) => (x / 1000).toFixed(2)).join(', ')} s.`,
    `SMS texts: ${warm.sms.count} generated (scripts/bench/lib/texts.ts: ${SMS_TEMPLATES} templates plus sentences of ../shared/eval), ${warm.sms.minChars}–${warm.sms.maxChars} characters, ${warm.sms.phishing} phishing, ${warm.sms.withLink} with a link; verdicts ${risks(warm.sms.risks)}. Timed after ${int(warm.settings.smsWarmup)} warm-up analyses, each call on its own (performance.now()), GC pauses included.`,
    `Mails: ${warm.mail.count} generated, ${int(warm.mail.minBytes)}–${int(warm.mail.maxBytes)} bytes UTF-8 (${int(warm.mail.minChars)}–${int(warm.mail.maxChars)} characters), pasted headers (From, Reply-To, Return-Path, Authentication-Results …), 12 links plus the footer's; half phishing; verdicts ${risks(warm.mail.risks)}.`,
    `Throughput: rounds of ${warm.settings.roundMs / 1000} s each: ${warm.throughput.map((x) => int(x)).join(', ')} SMS/s wall clock, ${warm.throughputCpu.map((x) => int(x)).join(', ')} SMS/s of CPU time. The machine is shared: when the load average below is high, wall-clock figures (latencies too) include time spent waiting for a core; CPU-time figures leave that out, but not the slower caches of a busy machine.`,
    'Memory after the warm runs: a larger RSS with a flat heapUsed is V8 keeping a bigger heap (heapTotal) for the allocation rate of the runs, not data that accumulates.',
    'MB = 10^6 bytes. To see where analyze spends its time: `node --expose-gc --cpu-prof scripts/bench/lib/detector-warm.ts`.',
  ];
  return { title: 'Detector', command: 'npm run bench -- detector', rows, notes };
}
