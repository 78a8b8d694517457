// sagicheck check [--json | --jsonl] [TEXT] — see ../shared/CONTRACT.md §1.
// Exit codes: 0 analysis ran (whatever the verdict), 2 usage error, 1 internal error.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadDetector } from '../detector/load.ts';
import type { Detector } from '../detector/index.ts';
import { forTerminal, renderTerminal } from './render.ts';

const USAGE = `使い方: sagicheck check [--json | --jsonl] [TEXT]
       sagicheck --version

  TEXT を（なければ標準入力を）調べて、フィッシング詐欺の危険度を表示します。
  --json    判定を1つのJSONで出力します
  --jsonl   標準入力の各行 {"id": …, "text": "…"} を調べ、1行に1つのJSONで出力します
  --version バージョンを表示します
`;

class UsageError extends Error {}

/** The package's version, from package.json next to src/. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`sagicheck ${version()}\n`);
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'check')
    throw new UsageError(command ? `不明なコマンドです: ${command}` : 'コマンドがありません');
  const flags = new Set<string>();
  const words: string[] = [];
  for (const arg of rest) {
    if (arg === '--') continue;
    if (arg.startsWith('--')) {
      if (!['--json', '--jsonl', '--help', '--version'].includes(arg))
        throw new UsageError(`不明なオプションです: ${arg}`);
      flags.add(arg);
    } else words.push(arg);
  }
  if (flags.has('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (flags.has('--version')) {
    process.stdout.write(`sagicheck ${version()}\n`);
    return 0;
  }
  if (flags.has('--json') && flags.has('--jsonl'))
    throw new UsageError('--json と --jsonl は同時に使えません');
  if (flags.has('--jsonl') && words.length) throw new UsageError('--jsonl は標準入力だけを読みます');

  const detector = await loadDetector();
  if (flags.has('--jsonl')) return batch(detector);
  const text = words.length ? words.join(' ') : await readStdin();
  const verdict = forTerminal(detector.analyze(text));
  if (flags.has('--json')) process.stdout.write(JSON.stringify(verdict) + '\n');
  else process.stdout.write(renderTerminal(verdict, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR));
  return 0;
}

async function batch(detector: Detector): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let out: Record<string, unknown>;
    try {
      const item: unknown = JSON.parse(line);
      const id = item && typeof item === 'object' && 'id' in item ? (item as { id: unknown }).id : null;
      const text = item && typeof item === 'object' ? (item as { text?: unknown }).text : undefined;
      out =
        typeof text === 'string'
          ? { id, ...forTerminal(detector.analyze(text)) }
          : { id, error: '"text" must be a string' };
    } catch {
      out = { id: null, error: 'invalid JSON' };
    }
    if (!process.stdout.write(JSON.stringify(out) + '\n'))
      await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  return 0;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('TEXT を指定するか、標準入力から文章を渡してください');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`sagicheck: ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`sagicheck: 内部エラー: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
