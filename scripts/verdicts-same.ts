// Byte-for-byte check that a change to the detector's internals changes no result: every verdict, the
// evidence it is computed from (inspect()), the tokens, and the guide's reading of the same texts, over
// every text and URL of the evaluation sets plus the benchmark's SMS and mail texts.
//   node scripts/verdicts-same.ts save FILE      before the change (one JSON line per text)
//   node scripts/verdicts-same.ts compare FILE   after it: names the texts whose results differ
// Not part of npm test (it takes a minute). EVAL_DIR as for npm run eval.
import { createReadStream, createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadDetector } from '../src/detector/load.ts';
import { loadTokenizer, type Token } from '../src/detector/tokenizer.ts';
import { loadGuide } from '../src/guide/load.ts';
import { understand } from '../src/guide/understand.ts';
import { EVAL_DIR } from './eval-data.ts';
import { mailCorpus, smsCorpus } from './bench/lib/texts.ts';

interface Input {
  id: string;
  text: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  for (const file of readdirSync(EVAL_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const lines = readFileSync(join(EVAL_DIR, file), 'utf8').split('\n');
    lines.forEach((line, n) => {
      if (line.trim() === '') return;
      const item = JSON.parse(line) as { id?: unknown; text: string };
      out.push({ id: `${file}:${String(item.id ?? n)}`, text: item.text });
    });
  }
  smsCorpus(3000).forEach((s, n) => out.push({ id: `bench-sms:${n}`, text: s.text }));
  mailCorpus(100).forEach((s, n) => out.push({ id: `bench-mail:${n}`, text: s.text }));
  return out;
}

/** Every field of every token, one line per text. */
function tokenLine(tokens: Token[]): string {
  return tokens
    .map((t) => `${t.surface}\t${t.base}\t${t.pos}\t${t.posDetail}\t${t.start}\t${t.known ? 1 : 0}`)
    .join('\n');
}

async function* results(): AsyncGenerator<{ id: string; line: string }> {
  const detector = await loadDetector();
  const tokenizer = await loadTokenizer();
  const guide = await loadGuide();
  for (const { id, text } of inputs()) {
    const result = {
      id,
      verdict: detector.analyze(text),
      inspect: detector.inspect(text),
      tokens: tokenLine(tokenizer.tokenize(text)),
      // The guide reads a person's own words; long forwarded texts never reach it, short ones may.
      guide: text.length <= 400 ? understand(guide.matcher, text) : null,
    };
    yield { id, line: JSON.stringify(result) };
  }
}

async function save(file: string): Promise<void> {
  const out = createWriteStream(file);
  let n = 0;
  for await (const { line } of results()) {
    if (!out.write(line + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    n++;
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  console.log(`saved ${n} results to ${file}`);
}

async function compare(file: string): Promise<boolean> {
  const saved = createInterface({ input: createReadStream(file), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  let n = 0;
  let differ = 0;
  for await (const { id, line } of results()) {
    const before = await saved.next();
    if (before.done) throw new Error(`${file} ends before ${id}: saved from other inputs?`);
    n++;
    if (before.value === line) continue;
    differ++;
    if (differ <= 10) console.log(`differs: ${id}\n  before ${before.value}\n  after  ${line}`);
  }
  if (!(await saved.next()).done) throw new Error(`${file} has more lines than there are inputs`);
  console.log(differ === 0 ? `all ${n} results identical` : `${differ} of ${n} results differ`);
  return differ === 0;
}

const [mode, file] = process.argv.slice(2);
if ((mode !== 'save' && mode !== 'compare') || !file) {
  console.error('usage: node scripts/verdicts-same.ts save|compare FILE');
  process.exitCode = 2;
} else if (mode === 'save') await save(file);
else if (!(await compare(file))) process.exitCode = 1;
