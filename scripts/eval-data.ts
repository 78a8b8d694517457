// Where the shared evaluation data lives (real phishing and genuine messages and URLs, ../shared/eval, see its
// README) and the sourced reference lists beside it. They are not part of this repository: set EVAL_DIR to
// use another copy. Tests that need them skip with one line when they are missing; CI requires them.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EVAL_DIR = resolve(
  process.env.EVAL_DIR || fileURLToPath(new URL('../../shared/eval/', import.meta.url)),
);
/** ../shared/reference, found next to the evaluation data. */
export const REFERENCE_DIR = resolve(EVAL_DIR, '../reference');
