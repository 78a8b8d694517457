// Issue 15, end to end: the server as deployed (`node src/server/main.ts`, event thread, OCR workers,
// SQLite) gets the hostile files through a signed webhook with a stand-in LINE API
// (scripts/bench/lib/hostile-server.ts); each is answered (a verdict, or a kind refusal), a text another
// person sends 1 s later is answered too, and the server's memory (RSS of the whole process) stays
// within 700 MB. Wall-clock times are printed, not asserted (the machine is shared; the waits are
// generous): `npm run bench -- hostile` records them in BENCHMARKS.md against the bounds.
import { describe, expect, it } from 'vitest';
import { hostileServer } from '../../scripts/bench/lib/hostile-server.ts';

const MB = 1024 * 1024;

describe('hostile files through the webhook', () => {
  it('each is answered, so is a text right after it, and the server stays within 700 MB', async () => {
    const run = await hostileServer();
    for (const r of run.results)
      console.log(
        `${r.case.name}: answered in ${r.ms?.toFixed(0)} ms (bound ${r.case.boundMs / 1000} s); ` +
          `the text sent 1 s later in ${r.textMs?.toFixed(0)} ms (bound 3 s)`,
      );
    console.log(
      `server RSS at rest ${(run.restRss / MB).toFixed(0)} MB, peak ${(run.peakRss / MB).toFixed(0)} MB`,
    );
    for (const r of run.results) {
      expect(r.statuses, r.case.name).toEqual([200, 200]);
      expect(r.ms, `${r.case.name} answered`).not.toBeNull();
      expect(r.said, r.case.name).toMatch(r.case.answer);
      expect(r.textAnswered, `the text after ${r.case.name} answered`).toBe(true);
    }
    expect(run.peakRss).toBeLessThanOrEqual(700e6);
  }, 600_000);
});
