// The sagicheck CLI as users and scripts call it (CONTRACT §1): output, standard input, JSON Lines batches and
// exit codes; run with the pinned Node 24 and, through the re-exec shim, with the machine's older Node.
// Each run starts a process that loads the dictionary (~1 s or more on a busy machine), so runs are few and
// each test has a generous time limit.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Detector, Verdict } from '../../src/detector/index.ts';
import { loadDetector } from '../../src/detector/load.ts';
import { forTerminal } from '../../src/cli/render.ts';
import { expectContract } from '../support/verdict.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PINNED_NODE = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));
const SYSTEM_NODE = '/usr/bin/node';
const BIN = 'bin/sagicheck.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from the repository root; `input` is written to standard input (closed either way). */
function run(args: string[], input = '', node = PINNED_NODE): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const LABEL = {
  high: '【危険】',
  medium: '【注意】',
  low: '【危険なサインは見つかりません】',
  unknown: '【判定できません】',
};

const PHISH =
  '【Amazon】お客様のアカウントを停止しました。24時間以内にご確認ください。https://amazon.co.jp.verify-xx.top/ap/signin';
const PLAIN = '明日の会議は10時からです。よろしくお願いします。';

let d: Detector;
beforeAll(async () => {
  d = await loadDetector();
}, 60_000);

describe('sagicheck check (human-readable)', { timeout: 60_000 }, () => {
  it('prints the Japanese label of the risk first, then reasons and advice', async () => {
    const r = await run(['check', PHISH]);
    expect(r.code).toBe(0);
    const expected = d.analyze(PHISH);
    expect(r.stdout.startsWith(LABEL[expected.risk])).toBe(true);
    expect(r.stdout).toContain('【危険】');
    expect(r.stdout).toContain('Amazon');
    expect(r.stdout).toContain('amazon.co.jp.verify-xx.top');
    for (const reason of expected.reasons) expect(r.stdout).toContain(reason.message);
    for (const line of forTerminal(expected).advice) expect(r.stdout).toContain(line);
    // Advice for the LINE chat only (press 「どうすればいい？」) is not printed.
    expect(expected.advice.some((a) => a.includes('「どうすればいい？」'))).toBe(true);
    expect(r.stdout).not.toContain('どうすればいい');
    // Not a terminal: no colour codes in the output.
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('reads standard input when TEXT is absent (a harmless text: 【危険なサインは見つかりません】)', async () => {
    const r = await run(['check'], PLAIN + '\n');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(LABEL[d.analyze(PLAIN + '\n').risk])).toBe(true);
    expect(r.stdout.startsWith('【危険なサインは見つかりません】')).toBe(true);
  });

  it('prints its version with --version', async () => {
    for (const args of [['--version'], ['check', '--version']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^sagicheck \d+\.\d+\.\d+\n$/);
    }
  });

  it('labels empty input 【判定できません】 and still exits 0', async () => {
    const r = await run(['check'], '');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('【判定できません】')).toBe(true);
  });
});

describe('sagicheck check --json', { timeout: 60_000 }, () => {
  it('prints exactly one verdict as JSON, equal to the library verdict (TEXT words joined by spaces)', async () => {
    const [first, ...rest] = PHISH.split(' ');
    const r = await run(['check', '--json', first!, rest.join(' ')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const v = JSON.parse(lines[0]!);
    expectContract(v);
    expect(v).toEqual(forTerminal(d.analyze(PHISH)));
  });

  it('reads a multi-line mail from standard input', async () => {
    const mail =
      'From: "Amazon" <info@mail-notice.jp>\nSubject: 確認\n\nお客様\nhttps://secure-signin.net/ap/signin\n';
    const r = await run(['check', '--json'], mail);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(forTerminal(d.analyze(mail)));
  });
});

describe('sagicheck check --jsonl', { timeout: 60_000 }, () => {
  it('answers every line in order with its id, reports malformed lines and goes on', async () => {
    const input = [
      JSON.stringify({ id: 1, text: PHISH }),
      'this is not json',
      JSON.stringify({ id: 'two', text: PLAIN }),
      JSON.stringify({ id: 3, text: 42 }),
      '',
      JSON.stringify({ id: { nested: [1, 2] }, text: 'https://bit.ly/3abcDEF' }),
      JSON.stringify({ text: 'id がない行' }),
      JSON.stringify({ id: 7, text: '' }),
      // A longer run after the odd lines: order must hold.
      ...Array.from({ length: 200 }, (_, i) =>
        JSON.stringify({ id: 100 + i, text: i % 2 ? PHISH : `${PLAIN} ${i}` }),
      ),
    ].join('\n');
    const r = await run(['check', '--jsonl'], input + '\n');
    expect(r.code).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(207);
    expect(out.slice(7).map((o) => o.id)).toEqual(Array.from({ length: 200 }, (_, i) => 100 + i));
    expect(out.slice(7).every((o) => typeof o.risk === 'string')).toBe(true);

    const verdict = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'id'));
    expect(out[0]!.id).toBe(1);
    expect(verdict(out[0]!)).toEqual(forTerminal(d.analyze(PHISH)));
    expect(out[1]).toEqual({ id: null, error: expect.any(String) });
    expect(out[2]!.id).toBe('two');
    expect(verdict(out[2]!)).toEqual(forTerminal(d.analyze(PLAIN)));
    expect(out[3]).toEqual({ id: 3, error: expect.any(String) });
    expect(out[4]!.id).toEqual({ nested: [1, 2] });
    expect(verdict(out[4]!)).toEqual(forTerminal(d.analyze('https://bit.ly/3abcDEF')));
    expect(out[5]).toHaveProperty('risk');
    expect(out[6]).toMatchObject({ id: 7, risk: 'unknown' });
    for (const o of [out[0]!, out[2]!, out[4]!, out[6]!]) expectContract(verdict(o) as unknown as Verdict);
  });
});

describe('exit codes and usage errors', { timeout: 60_000 }, () => {
  it.each([
    ['an unknown flag', ['check', '--bogus', 'text']],
    ['an unknown command', ['frobnicate']],
    ['no command', []],
    ['--json with --jsonl', ['check', '--json', '--jsonl']],
    ['--jsonl with TEXT', ['check', '--jsonl', 'text']],
  ])('exits 2 with a usage message for %s', async (_name, args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('使い方');
  });

  it('prints usage and exits 0 for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sagicheck check');
  });
});

describe('the re-exec shim (bin/sagicheck.js under an older Node)', { timeout: 60_000 }, () => {
  it.runIf(existsSync(SYSTEM_NODE))(
    'the machine Node is older than 24, so the shim is exercised',
    async () => {
      const r = await new Promise<string>((resolve, reject) => {
        const child = spawn(SYSTEM_NODE, ['--version']);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
        child.on('error', reject);
        child.on('close', () => resolve(out.trim()));
      });
      expect(Number(/^v(\d+)/.exec(r)?.[1])).toBeLessThan(24);
    },
  );

  it.runIf(existsSync(SYSTEM_NODE))('runs check --json through the pinned Node 24', async () => {
    const r = await run(['check', '--json', PHISH], '', SYSTEM_NODE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(forTerminal(d.analyze(PHISH)));
  });

  it.runIf(existsSync(SYSTEM_NODE))('passes standard input and the usage exit code through', async () => {
    const piped = await run(
      ['check', '--jsonl'],
      JSON.stringify({ id: 'a', text: PLAIN }) + '\n',
      SYSTEM_NODE,
    );
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ id: 'a', risk: d.analyze(PLAIN).risk });
    const usage = await run(['check', '--bogus'], '', SYSTEM_NODE);
    expect(usage.code).toBe(2);
  });
});
