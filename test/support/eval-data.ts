// The shared evaluation data for tests (scripts/eval-data.ts says where it is). Without it the tests that need
// it skip and say so in one line, unless EVAL_REQUIRED is set (.ci/run sets it), where its absence fails.
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';
import { EVAL_DIR, REFERENCE_DIR } from '../../scripts/eval-data.ts';

export { EVAL_DIR, REFERENCE_DIR };

export const hasEvalData = existsSync(EVAL_DIR);

const MISSING = `no evaluation data in ${EVAL_DIR} (set EVAL_DIR to the folder with phish_texts.jsonl …)`;

if (!hasEvalData) {
  if (process.env.EVAL_REQUIRED) throw new Error(`EVAL_REQUIRED is set but there is ${MISSING}`);
  console.warn(`skipping the tests that read the evaluation data: ${MISSING}`);
}

/**
 * `describe` for a suite that reads the evaluation data. Without the data its body is not even collected (it
 * may read the files while collecting): one test stands for it and is skipped when it runs, saying why.
 */
export function describeWithEval(name: string, body: () => void): void {
  if (hasEvalData) describe(name, body);
  else describe(name, () => it(`needs the evaluation data: ${MISSING}`, (ctx) => ctx.skip()));
}
