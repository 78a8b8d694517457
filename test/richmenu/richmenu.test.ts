// npm run richmenu against the LINE stand-in: the first run makes exactly create → upload → set default,
// a second run replaces the menu and deletes the old one; the picture matches the definition.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startFakeLine, type FakeLine } from '../../scripts/stand-ins/fake-line.ts';
import {
  areaBounds,
  loadRichMenu,
  richMenuRequest,
  richMenuSvg,
  simulatorMenu,
} from '../../src/richmenu/definition.ts';
import { renderMenuImage } from '../../src/richmenu/image.ts';
import { commandFromPostback } from '../../src/line/messages.ts';
import { reportPostback } from '../../src/report/postback.ts';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/richmenu.ts', import.meta.url).pathname;

let line: FakeLine;
beforeAll(async () => {
  line = await startFakeLine();
});
afterAll(() => line.close());

function richMenu(args: string[] = [], env: Record<string, string> = {}) {
  return run(process.execPath, [SCRIPT, ...args], {
    env: {
      PATH: process.env.PATH,
      LINE_CHANNEL_ACCESS_TOKEN: 'test-access-token',
      LINE_API_BASE_URL: line.url,
      LINE_DATA_API_BASE_URL: line.url,
      ...env,
    },
  });
}

/** The calls that change something, as "METHOD path". */
function writes(): string[] {
  return line.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
}

// Each run starts Node and draws the picture: seconds on a busy machine.
describe('npm run richmenu', { timeout: 60_000 }, () => {
  it('first run: exactly create → upload the picture → set default', async () => {
    line.reset();
    const { stdout } = await richMenu();
    const id = stdout.trim();
    expect(writes()).toEqual([
      'POST /v2/bot/richmenu',
      `POST /v2/bot/richmenu/${id}/content`,
      `POST /v2/bot/user/all/richmenu/${id}`,
    ]);
    const upload = line.calls.find((c) => c.path.endsWith('/content'))!;
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.headers.authorization).toBe('Bearer test-access-token');
    const created = line.callsTo('richmenuCreate')[0]!.body as ReturnType<typeof richMenuRequest>;
    expect(created).toEqual(richMenuRequest(loadRichMenu()));
    expect(line.defaultRichMenu.id).toBe(id);
  });

  it('second run: a new default, then the old menu deleted; one menu remains', async () => {
    const before = line.defaultRichMenu.id!;
    line.calls.length = 0;
    const { stdout } = await richMenu();
    const id = stdout.trim();
    expect(id).not.toBe(before);
    expect(writes()).toEqual([
      'POST /v2/bot/richmenu',
      `POST /v2/bot/richmenu/${id}/content`,
      `POST /v2/bot/user/all/richmenu/${id}`,
      `DELETE /v2/bot/richmenu/${before}`,
    ]);
    expect([...line.richMenus.keys()]).toEqual([id]);
    expect(line.defaultRichMenu.id).toBe(id);
  });

  it('a failed upload removes the half-made menu and keeps the old default', async () => {
    const before = line.defaultRichMenu.id!;
    line.calls.length = 0;
    line.script('richmenuImage', { status: 500, body: { message: 'boom' } });
    await expect(richMenu()).rejects.toMatchObject({ code: 1 });
    expect(line.defaultRichMenu.id).toBe(before);
    expect([...line.richMenus.keys()]).toEqual([before]);
  });

  it('--dry-run sends nothing and needs no token', async () => {
    line.calls.length = 0;
    const { stdout } = await richMenu(['--dry-run'], { LINE_CHANNEL_ACCESS_TOKEN: '' });
    expect(JSON.parse(stdout)).toEqual(richMenuRequest(loadRichMenu()));
    expect(line.calls).toEqual([]);
  });

  it('refuses a picture of the wrong size before sending anything', async () => {
    line.calls.length = 0;
    const wrong = await sharp({ create: { width: 1200, height: 810, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const file = `${process.env.TMPDIR ?? '/tmp'}/richmenu-wrong-${process.pid}.png`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, wrong);
    try {
      const err = await richMenu(['--image', file]).catch((e: { stderr: string; code: number }) => e);
      expect(err).toMatchObject({ code: 1 });
      expect((err as { stderr: string }).stderr).toMatch(/1200×810, the menu is 2500×1686/);
    } finally {
      rmSync(file);
    }
    expect(line.calls).toEqual([]);
  });
});

describe('the rich menu definition', { timeout: 30_000 }, () => {
  const def = loadRichMenu();

  it('has the four areas, covering the picture without overlap', () => {
    expect(def.areas.map((a) => a.label)).toEqual(['チェックする', '困ったとき', '報告する', '使い方']);
    const b = areaBounds(def);
    expect(b.reduce((s, x) => s + x.width * x.height, 0)).toBe(def.width * def.height);
    expect(b.every((x) => x.x + x.width <= def.width && x.y + x.height <= def.height)).toBe(true);
  });

  it('sends postbacks the bot understands', () => {
    const data = def.areas.map((a) => a.data);
    expect(commandFromPostback(data[1]!)).toBe('help');
    expect(commandFromPostback(data[3]!)).toBe('usage');
    expect(data[0]).toBe('menu=check'); // answered by src/report/hook.ts (test/launch/report.test.ts)
    expect(reportPostback(data[2]!)).toBe('menu');
  });

  it('draws every label into the picture, at LINE size and under 1 MB', async () => {
    const svg = richMenuSvg(def);
    for (const a of def.areas) expect(svg).toContain(a.label);
    const img = await renderMenuImage(def);
    const meta = await sharp(img.bytes).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([2500, 1686, 'png']);
    expect(img.bytes.length).toBeLessThan(1024 * 1024);
  });

  it('gives the simulator the same areas and actions as LINE', () => {
    const sim = simulatorMenu(def);
    const req = richMenuRequest(def);
    expect(sim.areas).toEqual(req.areas);
    expect(sim.chatBarText).toBe(req.chatBarText);
  });
});
