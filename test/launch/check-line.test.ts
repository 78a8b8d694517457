// npm run check-line against the LINE stand-in: it asks LINE's validate endpoint about the replies the
// bot builds (the 報告する card's mailto: button among them) and says which one LINE refused.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import { loadReportRules } from '../../src/rules/report.ts';
import { menuReportCard } from '../../src/report/card.ts';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/check-line.ts', import.meta.url).pathname;

let line: FakeLine;
beforeAll(async () => {
  line = await startFakeLine();
});
afterAll(() => line.close());

const checkLine = () =>
  run(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      LINE_CHANNEL_ACCESS_TOKEN: 'test-access-token',
      LINE_API_BASE_URL: line.url,
    },
  });

describe('npm run check-line', () => {
  it(
    'sends the verdict replies with their 報告する cards to the validate endpoint only',
    { timeout: 60_000 },
    async () => {
      line.reset();
      const { stdout } = await checkLine();
      expect(stdout.match(/^ok /gm)).toHaveLength(3);
      const calls = line.callsTo('validateReply');
      expect(calls).toHaveLength(3);
      expect(line.calls.every((c) => c.path === '/v2/bot/message/validate/reply')).toBe(true);
      const sent = JSON.stringify(calls.map((c) => c.body));
      expect(sent).toContain('mailto:info@antiphishing.jp?');
      expect(sent).toContain('【危険】');
    },
  );

  it("names what LINE refused, with LINE's detail, and exits 1", { timeout: 60_000 }, async () => {
    line.reset();
    line.script('validateReply', {
      status: 400,
      body: {
        message: 'A message (messages[1]) in the request body is invalid',
        details: [{ message: 'invalid uri scheme', property: '/footer/contents/0/action/uri' }],
      },
    });
    const err = (await checkLine().catch((e: unknown) => e)) as { code: number; stdout: string };
    expect(err.code).toBe(1);
    expect(err.stdout).toMatch(/^REFUSED a 危険 verdict for a mail.*invalid uri scheme/m);
    expect(err.stdout).toContain('mail_button: false');
  });
});

describe('the 報告する card without the mail button', () => {
  it('shows the address to write to instead of a mailto: link', () => {
    const rules = { ...loadReportRules(), mail_button: false };
    const card = JSON.stringify(menuReportCard(rules));
    expect(card).not.toContain('mailto:');
    expect(card).toContain('info@antiphishing.jp にメールで');
  });
});
