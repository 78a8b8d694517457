// Property tests (fast-check) draw the same cases on every run, so a CI result can be reproduced and a
// change is judged on the same inputs as the one before it. `FC_SEED=random npm test` explores new cases
// (a failure prints its seed; keep the counterexample as a fixed test, as test/detector/adversarial.test.ts does).
import fc from 'fast-check';

const given = process.env.FC_SEED ?? '20261125';
if (given !== 'random') {
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${given}`);
  fc.configureGlobal({ seed });
}
