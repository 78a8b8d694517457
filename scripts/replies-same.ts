// Are the replies the same, byte for byte, before and after a change to the event path? Compares the
// reply bodies the lean LINE stand-in wrote (REPLY_BODIES_DIR=DIR, scripts/bench/lib/reply-counter-
// process.ts) in two runs of the same benchmark, e.g. the drain (its events and reply tokens are the same
// in every round):
//   REPLY_BODIES_DIR=/tmp/before npm run bench -- drain   (on the old code)
//   REPLY_BODIES_DIR=/tmp/after npm run bench -- drain    (on the new code)
//   node scripts/replies-same.ts /tmp/before /tmp/after
// Every reply token must have got one and the same body in every round of both runs; exit code 1 if not.
// The one part drawn at random is a guide flow's id in its buttons' postback data (f=…, src/guide): a
// body that differs only there is counted apart, as the same answer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [before, after] = process.argv.slice(2);
if (!before || !after) {
  console.error('usage: node scripts/replies-same.ts BEFORE_DIR AFTER_DIR');
  process.exit(2);
}

/** Each round's file: reply token → body (a token replied to twice in one round is a difference too). */
function rounds(dir: string): Map<string, string>[] {
  const files = readdirSync(dir).filter((f) => /^replies-\d+\.jsonl$/.test(f));
  if (files.length === 0) throw new Error(`${dir}: no replies-PID.jsonl`);
  return files.map((f) => {
    const byToken = new Map<string, string>();
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line === '') continue;
      const token = (JSON.parse(line) as { replyToken?: unknown }).replyToken;
      if (typeof token !== 'string') throw new Error(`${f}: a reply without a token`);
      if (byToken.has(token)) throw new Error(`${f}: ${token} replied to twice`);
      byToken.set(token, line);
    }
    return byToken;
  });
}

const all = [
  ...rounds(before).map((r) => ['before', r] as const),
  ...rounds(after).map((r) => ['after', r] as const),
];
const [, first] = all[0]!;
/** A guide flow's id in postback data, drawn at random each time a flow starts. */
const FLOW_ID = /([?&"]f=)[A-Za-z0-9_-]+/g;
const withoutFlowIds = (body: string) => body.replace(FLOW_ID, '$1…');
let differ = 0;
let flowIds = 0;
for (const [side, r] of all) {
  if (r.size !== first.size) console.error(`${side}: ${r.size} replies, the first round ${first.size}`);
  for (const [token, body] of first) {
    const other = r.get(token);
    if (other === body) continue;
    if (other !== undefined && withoutFlowIds(other) === withoutFlowIds(body)) {
      flowIds++;
      continue;
    }
    if (differ++ < 5) console.error(`${side}: ${token} ${other === undefined ? 'missing' : 'differs'}`);
  }
}
const sizes = all.map(([, r]) => r.size);
console.log(
  `${all.length} rounds (${sizes.join(', ')} replies): ${differ === 0 && sizes.every((s) => s === first.size) ? 'byte-identical' : `${differ} differences`}` +
    (flowIds ? ` (${flowIds} compared against the first round differ only in a guide flow's random id)` : ''),
);
process.exit(differ === 0 && sizes.every((s) => s === first.size) ? 0 : 1);
