// Detection quality on real data: npm run eval [-- DIR] [--misses FILE] [--rules DIR]
// For every set in ../shared/eval (or DIR): counts per risk, flagged rate (high + medium), and precision and
// recall of "flagged" for phishing against the matching legitimate set (texts with texts, URLs with URLs).
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDetector } from '../src/detector/load.ts';
import type { Risk } from '../src/detector/types.ts';

const args = process.argv.slice(2);
const missesAt = args.indexOf('--misses');
const missesFile = missesAt >= 0 ? args.splice(missesAt, 2)[1] : undefined;
const rulesAt = args.indexOf('--rules');
const rulesDir = rulesAt >= 0 ? resolve(args.splice(rulesAt, 2)[1]!) : undefined;
const dir = resolve(args[0] ?? new URL('../../shared/eval/', import.meta.url).pathname);

const SETS = [
  { file: 'phish_texts.jsonl', phishing: true, pair: 'texts' },
  { file: 'legit_texts.jsonl', phishing: false, pair: 'texts' },
  { file: 'phish_urls.jsonl', phishing: true, pair: 'urls' },
  { file: 'legit_urls.jsonl', phishing: false, pair: 'urls' },
] as const;

export interface SetResult {
  file: string;
  phishing: boolean;
  n: number;
  counts: Record<Risk, number>;
  flagged: number;
}

export async function evaluate(
  evalDir: string,
  onMiss?: (line: string) => void,
  rules?: string,
): Promise<SetResult[]> {
  const detector = await loadDetector(rules);
  const results: SetResult[] = [];
  for (const set of SETS) {
    const path = join(evalDir, set.file);
    if (!existsSync(path)) continue;
    const counts: Record<Risk, number> = { high: 0, medium: 0, low: 0, unknown: 0 };
    let n = 0;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = JSON.parse(line) as { id: unknown; text: string };
      const v = detector.analyze(item.text);
      counts[v.risk]++;
      n++;
      const flagged = v.risk === 'high' || v.risk === 'medium';
      if (onMiss && flagged !== set.phishing)
        onMiss(
          JSON.stringify({
            set: set.file,
            id: item.id,
            risk: v.risk,
            score: v.score,
            codes: v.reasons.map((r) => r.code),
            text: item.text.slice(0, 160),
          }),
        );
    }
    results.push({ file: set.file, phishing: set.phishing, n, counts, flagged: counts.high + counts.medium });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const misses: string[] = [];
  const results = await evaluate(dir, missesFile ? (l) => misses.push(l) : undefined, rulesDir);
  if (results.length === 0) {
    // One line for a newcomer whose clone has no data next to it.
    console.error(
      `npm run eval: no evaluation data in ${dir} — the sets (real phishing and genuine texts, JPCERT/CC phishing URLs, Tranco popular domains: phish_texts.jsonl, legit_texts.jsonl, phish_urls.jsonl, legit_urls.jsonl) are not in this repository; they are shared next to it in ../shared/eval/, or pass a folder holding them: npm run eval -- DIR`,
    );
    process.exit(2);
  }
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + '%';
  console.log(`evaluation data: ${dir}\n`);
  console.log('set                  items    high  medium     low unknown  flagged');
  for (const r of results) {
    const c = r.counts;
    console.log(
      `${r.file.padEnd(20)} ${String(r.n).padStart(5)} ${[c.high, c.medium, c.low, c.unknown].map((x) => String(x).padStart(7)).join(' ')}   ${pct(r.flagged / r.n)}`,
    );
  }
  console.log('\nflagged = high or medium. precision/recall of "flagged" per pair of sets:');
  for (const pair of ['texts', 'urls']) {
    const phish = results.find((r) => r.phishing && r.file.includes(pair));
    const legit = results.find((r) => !r.phishing && r.file.includes(pair));
    if (!phish || !legit) continue;
    const tp = phish.flagged;
    const fp = legit.flagged;
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / phish.n;
    const fpr = fp / legit.n;
    console.log(
      `  ${pair.padEnd(6)} precision ${pct(precision)}  recall ${pct(recall)}  false-positive rate ${pct(fpr)}  (legit marked high: ${legit.counts.high})`,
    );
  }
  if (missesFile) {
    writeFileSync(missesFile, misses.join('\n') + '\n');
    console.log(`\n${misses.length} misclassified items written to ${missesFile}`);
  }
}
