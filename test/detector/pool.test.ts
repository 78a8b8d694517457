// The detector in worker threads (src/detector/pool.ts), as the server runs it: the same verdicts as in
// this thread, a stuck thread replaced, a broken rules directory refused at start-up, and a close that
// lets every job sent finish.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../src/detector/index.ts';
import { AnalysisError, startDetectorPool, type DetectorPool } from '../../src/detector/pool.ts';
import { sharedDetector } from '../helpers/detector.ts';
import { evalTexts, reasonCodes } from '../helpers/verdict.ts';

let d: Detector;
let pool: DetectorPool;
beforeAll(async () => {
  [d, pool] = await Promise.all([sharedDetector(), startDetectorPool({ threads: 2 })]);
}, 60_000);
afterAll(() => pool?.close());

describe('the detector in worker threads', { timeout: 60_000 }, () => {
  it('gives exactly the verdicts of the detector in this thread, many at once', async () => {
    const texts = [...evalTexts('phish_texts.jsonl'), ...evalTexts('legit_texts.jsonl')].map((x) => x.text);
    const verdicts = await Promise.all(texts.map((t) => pool.analyze(t)));
    expect(verdicts).toEqual(texts.map((t) => d.analyze(t)));
    expect(new Set(verdicts.map((v) => v.risk))).toEqual(new Set(['high', 'medium', 'low']));
    expect(pool.stats()).toEqual({ threads: 2, pending: 0 });
  });

  it("passes a mail's links along with its text", async () => {
    const links = [{ text: 'https://www.amazon.co.jp/', href: 'https://amazon-check.top/signin' }];
    const text = 'Amazonアカウントを確認してください https://www.amazon.co.jp/';
    const v = await pool.analyze(text, { links });
    expect(v).toEqual(d.analyze(text, { links }));
    expect(reasonCodes(v)).toContain('link_text_mismatch');
  });

  it('reads a text longer than the detector reads the same way (and says it was cut)', async () => {
    const text = '【Amazon】お支払い方法に問題があります https://amazon-verify.top/login\n'.repeat(2_000);
    const v = await pool.analyze(text);
    expect(v).toEqual(d.analyze(text));
    expect(reasonCodes(v)).toContain('truncated');
  });

  it('hands verdicts back one per event-loop turn, so webhooks are read between them', async () => {
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    tick();
    const texts = evalTexts('phish_texts.jsonl').map((x) => x.text);
    const turns = await Promise.all(texts.map((t) => pool.analyze(t).then(() => turn)));
    ticking = false;
    expect(new Set(turns).size).toBe(texts.length);
  });

  it.runIf(process.platform === 'linux')(
    'runs its threads below the server thread in the CPU scheduler',
    () => {
      const niceOf = (task: string) =>
        Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      const tasks = readdirSync('/proc/self/task');
      const workers = tasks.filter(
        (t) => readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim() === 'WorkerThread',
      );
      expect(workers.length).toBeGreaterThanOrEqual(2);
      expect(workers.map(niceOf)).toEqual(workers.map(() => 10));
      expect(niceOf(String(process.pid))).toBe(0);
    },
  );

  it('fails a job its thread spends too long on, and starts a new thread in its place', async () => {
    const errors: Error[] = [];
    const strict = await startDetectorPool({
      threads: 1,
      timeoutMs: 1,
      onThreadError: (e) => errors.push(e),
    });
    try {
      // ~10 ms of work for the detector: far past 1 ms.
      const slow = 'お客様のアカウントは停止されます。本日中に https://amazon-verify.top/login から\n'.repeat(
        600,
      );
      await expect(strict.analyze(slow)).rejects.toThrow(AnalysisError);
      expect(errors.map((e) => e.message)).toEqual(['one analysis took over 1 ms']);
      expect(strict.stats()).toEqual({ threads: 0, pending: 0 });
      // The replacement loads the rules and the dictionary again.
      for (let i = 0; i < 600 && strict.stats().threads === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(strict.stats().threads).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it('refuses to start on a broken rules directory, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sagicheck-pool-rules-'));
    try {
      cpSync(fileURLToPath(new URL('../../rules/', import.meta.url)), dir, { recursive: true });
      const file = join(dir, 'scoring.yaml');
      writeFileSync(file, readFileSync(file, 'utf8') + '\n: [unclosed\n');
      await expect(startDetectorPool({ rulesDir: dir })).rejects.toThrow(/scoring\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on close, finishes every job already sent, then refuses new ones', async () => {
    const own = await startDetectorPool({ threads: 1 });
    const texts = evalTexts('phish_texts.jsonl')
      .slice(0, 50)
      .map((x) => x.text);
    const jobs = texts.map((t) => own.analyze(t));
    await own.close();
    expect(await Promise.all(jobs)).toEqual(texts.map((t) => d.analyze(t)));
    await expect(own.analyze('こんにちは')).rejects.toThrow(/closed/);
  });
});
