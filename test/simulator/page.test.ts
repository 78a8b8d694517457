// The simulator page in a real headless Chromium (Debian's, driven by playwright-core; no browser is
// ever downloaded): the real app on 127.0.0.1 with no LINE credentials and a memory store, one browser
// for the file, one conversation through its tests in order. Takes the phone-width screenshots that the
// README shows: into docs/images/ with UPDATE_DOCS_IMAGES=1, else into a temporary folder (a test run
// leaves the working tree as it was).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDetector } from '../../src/detector/load.ts';
import { startBot, type Bot } from '../support/bot.ts';
import { renderSmsScreenshot, SCREENSHOTS } from '../../scripts/fixtures/render-screenshots.ts';
import { amazonIso2022jp } from '../../scripts/fixtures/emails.ts';

const CHROMIUM = '/usr/bin/chromium';
const IMAGES = process.env.UPDATE_DOCS_IMAGES
  ? join(import.meta.dirname, '../../docs/images')
  : mkdtempSync(join(tmpdir(), 'sagicheck-docs-images-'));
const PHONE = { width: 390, height: 844 };
/** 2025-11-24 10:15 in Japan. */
const SHOT_TIME = Date.UTC(2025, 10, 24, 1, 15);
const PHISHING =
  '【Amazon】お支払い方法に問題があります。24時間以内に更新してください https://amazon-co-jp.xyz/login';

const detector = loadDetector();

// The callbacks given to page.evaluate run in the browser; this program has Node's types, not the DOM's,
// so the little they use is declared here (in this module only).
interface PageElement {
  id: string;
  tagName: string;
  hidden?: boolean;
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { length: number };
};
declare const window: { __pwned?: number };
declare function getComputedStyle(e: unknown): { outlineStyle: string; backgroundColor: string };
let bot: Bot;
let context: BrowserContext;
let page: Page;
let profile: string;
let sms: Buffer;
/** Requests the page made anywhere but the app itself; console errors (CSP violations among them). */
const offOrigin: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  [bot, sms] = await Promise.all([
    // One fixed moment for the bot and the page, so the saved screenshots change only when the page does.
    startBot({ line: false, detector, now: () => SHOT_TIME }),
    renderSmsScreenshot(SCREENSHOTS.sagawa),
  ]);
  profile = mkdtempSync(join(tmpdir(), 'sagicheck-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: PHONE,
    deviceScaleFactor: 2,
    reducedMotion: 'reduce',
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  context.on('request', (r) => {
    if (!r.url().startsWith(`${bot.url}/`) && !/^(blob|data):/.test(r.url())) offOrigin.push(r.url());
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.clock.setFixedTime(SHOT_TIME);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  mkdirSync(IMAGES, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await bot?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (!process.env.UPDATE_DOCS_IMAGES) rmSync(IMAGES, { recursive: true, force: true });
});

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

/** Bot rows in the conversation so far (the typing indicator is not one). */
const botRows = () => page.locator('#messages .row-bot');

/** Waits until the bot answered past `before` rows and nothing is on its way any more. */
async function answered(before: number, timeout = 20_000) {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('#messages .row-bot').length > n &&
      document.querySelector('.typing')?.hidden === true,
    before,
    { timeout },
  );
  return botRows();
}

/** The text of each message the bot sent past `before`, without the name and time around it. */
async function newAnswers(before: number, timeout?: number) {
  const rows = await answered(before, timeout);
  const all = await rows.locator('.line > :first-child').allInnerTexts();
  return all.slice(before);
}

/** A phone-width screenshot for the README, from `top` (scrolled to the top of the chat) or as it is. */
async function shoot(name: string, top?: Locator) {
  await page.mouse.move(0, 0);
  await top?.evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: join(IMAGES, name) });
}

describe('the simulator page', () => {
  it('works from the keyboard alone: Tab to 友だち追加, Enter, type a phishing SMS, Enter', async () => {
    const res = await page.goto(`${bot.url}/`);
    expect(res?.status()).toBe(200);
    await page.getByRole('button', { name: '友だち追加' }).waitFor();

    // Tab order: the header's buttons, then 友だち追加; the focus is visible.
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(String(await focusedId()));
    }
    expect(order).toEqual(['json-toggle', 'reset', 'follow']);
    const outline = await page.locator('#follow').evaluate((b) => getComputedStyle(b).outlineStyle);
    expect(outline).not.toBe('none');

    await page.keyboard.press('Enter');
    const greeting = await newAnswers(0);
    expect(greeting.join('\n')).toContain('友だち追加ありがとうございます');
    expect(await focusedId()).toBe('input');
    await page.locator('.chip').first().waitFor();

    // Shift+Enter is a new line, not a send.
    await page.keyboard.type('一行目');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('二行目');
    expect(await page.locator('#input').inputValue()).toBe('一行目\n二行目');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');

    const before = await botRows().count();
    await page.keyboard.type(PHISHING);
    await page.keyboard.press('Enter');
    await answered(before);
    expect(await page.locator('#input').inputValue()).toBe('');
    expect(await focusedId()).toBe('input');

    // The person's message, read by the bot.
    const mine = page.locator('#messages .row-user').last();
    expect(await mine.locator('.bubble').innerText()).toBe(PHISHING);
    expect(await mine.locator('.read').innerText()).toBe('既読');

    // The verdict card as LINE shows it: red header 危険, reasons, the link defanged with its real domain.
    // The verdict card (the 報告する card follows it: test/launch/report.test.ts).
    const card = page.locator('#messages [data-type=flex][aria-label^="【"]').last();
    const header = card.locator('.flex-header');
    expect((await header.innerText()).split('\n')[0]).toBe('危険');
    expect(
      await header
        .locator('.flex-box')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor),
    ).toBe('rgb(198, 40, 40)');
    const text = await card.innerText();
    expect(text).toContain('理由');
    expect(text).toContain('amazon-co-jp[.]xyz');
    // The host is its own domain: one row, and one line saying why it is shown with [.].
    expect(text).not.toContain('本当のドメイン：amazon-co-jp[.]xyz');
    expect(text).toContain('押せないように [.] で区切って');
    expect(text).toContain('次にすること');
    expect(text).not.toContain('https://amazon-co-jp.xyz');
    expect(await card.getAttribute('aria-label')).toMatch(/^【危険】/);

    // Quick replies as chips under the last message.
    expect(await page.locator('.chip').allInnerTexts()).toEqual([
      'どうすればいい？',
      'リンクを開いてしまった',
      '情報を入力してしまった',
      '使い方',
    ]);
    // Readable at phone width: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await shoot('simulator-verdict.png', mine);
  }, 60_000);

  it('sends a tapped quick reply as a postback, showing its displayText as the person’s message', async () => {
    let before = await botRows().count();
    await page.getByRole('button', { name: 'どうすればいい？' }).click();
    expect(await page.locator('#messages .row-user .bubble').last().innerText()).toBe('どうすればいい？');
    const question = (await newAnswers(before)).join('\n');
    expect(question).toContain('何がありましたか？');
    expect(question).toContain('Amazon');
    expect(await focusedId()).toBe('input');
    expect(await page.locator('.chip').allInnerTexts()).toEqual([
      'まだ何もしていない',
      'リンクを開いた',
      '情報を入力した',
      'お金を払った・振り込んだ',
      'その他',
    ]);

    // The chips row is scrolled back to its first chip on every answer.
    await page.locator('#quick-replies').evaluate((e) => {
      (e as unknown as { scrollLeft: number }).scrollLeft = 300;
    });
    before = await botRows().count();
    await page.getByRole('button', { name: 'リンクを開いた', exact: true }).click();
    const guide = (await newAnswers(before)).join('\n');
    expect(guide).toContain('ステップ 1/');
    expect(
      await page
        .locator('#quick-replies')
        .evaluate((e) => (e as unknown as { scrollLeft: number }).scrollLeft),
    ).toBe(0);

    // The guide's own chips are postbacks too: できた moves on to the next step.
    await page.getByRole('button', { name: 'できた', exact: true }).waitFor();
    before = await botRows().count();
    await page.getByRole('button', { name: 'できた', exact: true }).click();
    expect(await page.locator('#messages .row-user .bubble').last().innerText()).toBe('できた');
    expect((await newAnswers(before)).join('\n')).toMatch(/ステップ 2\//);
    await shoot('simulator-guide.png');
  }, 30_000);

  it('shows the rich menu of `npm run richmenu` under the chat; its areas send the same postbacks', async () => {
    const bar = page.locator('#richmenu-bar');
    expect(await bar.innerText()).toContain('メニュー');
    if ((await bar.getAttribute('aria-expanded')) !== 'true') await bar.click();
    const image = page.locator('#richmenu-image');
    await image.waitFor();
    expect(await image.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(2500);
    const areas = page.locator('.richmenu-area');
    expect(
      await areas.evaluateAll((es) =>
        es.map((e) => (e as unknown as PageElement & { ariaLabel: string }).ariaLabel),
      ),
    ).toEqual(['チェックする', '困ったとき', '報告する', '使い方']);
    let before = await botRows().count();
    await page.getByRole('button', { name: '報告する', exact: true }).click();
    const [report] = await newAnswers(before);
    expect(report).toContain('報告する（任意）');
    expect(report).toContain('協議会へメールで報告');
    expect(await page.locator('#messages .row-user .bubble').last().innerText()).toBe('報告する');
    await shoot('simulator-richmenu.png', page.locator('#messages .row-bot').nth(before));

    before = await botRows().count();
    await page.getByRole('button', { name: 'チェックする', exact: true }).click();
    const [check] = await newAnswers(before);
    expect(check).toContain('スクリーンショット');
    // As in LINE: the menu closes and the keyboard opens for pasting.
    expect(await page.locator('#richmenu').isHidden()).toBe(true);
    expect(await focusedId()).toBe('input');
  }, 60_000);

  it('reads an attached screenshot: the verdict card first, then what it read', async () => {
    const before = await botRows().count();
    await page.locator('#file').setInputFiles({ name: 'sms.png', mimeType: 'image/png', buffer: sms });
    const mine = page.locator('#messages .row-user').last();
    expect(await mine.locator('img.sent-image').getAttribute('alt')).toBe('送った画像：sms.png');
    const [, read] = await newAnswers(before, 60_000);
    expect(read).toMatch(/^上の判定は、画像から読み取った次の文字で確かめました。/);
    expect(read).toContain('佐川急便');
    expect(read).toContain('sagawa-delivery-jp[.]top');
    const card = page.locator('#messages [data-type=flex][aria-label^="【"]').last();
    expect((await card.locator('.flex-header').innerText()).split('\n')[0]).toMatch(/^(危険|注意)$/);
    expect(await card.innerText()).toContain('sagawa-delivery-jp[.]top');
    await shoot('simulator-screenshot.png', page.locator('#messages .row-bot').nth(before));
  }, 90_000);

  it('reads a mail file chosen with the attach button', async () => {
    const before = await botRows().count();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'スクリーンショットやファイルを送る' }).click();
    await (
      await chooser
    ).setFiles({ name: 'amazon.eml', mimeType: 'message/rfc822', buffer: amazonIso2022jp() });
    expect(await page.locator('#messages .row-user .file-name').last().innerText()).toBe('amazon.eml');
    const [, read] = await newAnswers(before);
    expect(read).toMatch(/^上の判定は、メールのファイルから読み取った次の内容で確かめました。/);
    expect(read).toContain('amazon-co-jp[.]account-update[.]top');
  }, 30_000);

  it('never turns text into HTML: the person’s words and the bot’s quote of them stay text', async () => {
    const attack =
      '<img src=x onerror="window.__pwned=1"><b id="injected">太字</b> https://amazon-co-jp.xyz/';
    let before = await botRows().count();
    await page.locator('#input').fill(attack);
    await page.locator('#input').press('Enter');
    await answered(before);
    expect(await page.locator('#messages .row-user .bubble').last().innerText()).toBe(attack);
    // A .txt file: the bot quotes what it read back in its answer.
    before = await botRows().count();
    await page
      .locator('#file')
      .setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from(attack) });
    const [, quote] = await newAnswers(before);
    expect(quote).toContain('<b id="injected">太字</b>');
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.locator('#messages img:not(.avatar):not(.sent-image)').count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  }, 30_000);

  it('resets the conversation: blocked and added again, the bot greets anew', async () => {
    await page.getByRole('button', { name: 'リセット' }).click();
    const rows = await answered(0);
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('友だち追加ありがとうございます');
    expect(await page.locator('#messages .row-user').count()).toBe(0);
    expect(await page.locator('#messages .notice').first().innerText()).toContain('リセット');
  }, 30_000);

  it('is readable on a desktop too, and loaded nothing from anywhere but this server', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const app = await page.locator('.app').boundingBox();
    expect(app!.width).toBeLessThanOrEqual(560);
    expect(app!.x).toBeGreaterThan(300);
    await page.setViewportSize(PHONE);
    // Every control has a name a screen reader can say.
    const unnamed = await page
      .locator('button, textarea, a')
      .evaluateAll(
        (els) =>
          els.filter((e) => !(e.getAttribute('aria-label') || e.textContent?.trim() || e.id === 'input'))
            .length,
      );
    expect(unnamed).toBe(0);
    expect(await page.getByRole('textbox', { name: 'メッセージ' }).count()).toBe(1);
    expect(offOrigin).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('draws every Flex element LINE has that the bot may use, with working buttons', async () => {
    // The one picture of the test bubble, served here rather than fetched (the check above is done).
    await page.route('https://example.invalid/**', (route) =>
      route.fulfill({ status: 200, contentType: 'image/png', body: sms }),
    );
    const r = await page.evaluate(RENDER_CHECK);
    expect(r).toEqual({
      blocks: ['flex-header', 'flex-hero', 'flex-body', 'flex-footer'],
      headerBg: 'rgb(1, 2, 3)',
      bodyPadding: '20px',
      footerPadding: '10px',
      sideBySide: true,
      ratio: 2,
      baseline: 'baseline',
      xlSize: '22px',
      bold: '700',
      color: 'rgb(255, 0, 0)',
      nowrap: 'nowrap',
      wrap: 'pre-wrap',
      marginLg: '12px',
      spacingMd: '8px',
      separator: '1px',
      primaryBg: 'rgb(23, 201, 80)',
      secondaryBg: 'rgb(220, 223, 229)',
      linkColor: 'rgb(66, 101, 154)',
      uri: { tag: 'A', href: 'https://www.amazon.co.jp/', rel: 'noopener noreferrer' },
      badUri: { tag: 'BUTTON', disabled: true },
      image: { tag: 'IMG', ratio: '20 / 13' },
      httpImage: 'DIV',
      boxBg: 'rgb(238, 238, 238)',
      cornerRadius: '8px',
      spans: ['赤い', '太字'],
      html: 0,
      tapped: [
        { type: 'postback', label: 'はい', data: 'a=1', displayText: 'はい' },
        { type: 'message', label: '送る', text: 'こんにちは' },
      ],
    });
  });

  it('is not served with LINE credentials, and is with credentials and SIMULATOR=1', async () => {
    const live = await startBot({ detector });
    const both = await startBot({ detector, env: { SIMULATOR: '1' } });
    const other = await context.newPage();
    try {
      expect((await other.goto(`${live.url}/`))?.status()).toBe(404);
      expect((await other.goto(`${both.url}/`))?.status()).toBe(200);
      await other.getByRole('button', { name: '友だち追加' }).click();
      await other.locator('#messages .row-bot').first().waitFor();
      expect(await other.locator('#messages .row-bot').first().innerText()).toContain(
        '友だち追加ありがとうございます',
      );
      expect(both.fake.callsTo('reply')).toHaveLength(0);
    } finally {
      await other.close();
      // Chromium keeps a spare connection open that never carries a request; Node would wait for it
      // to time out (~90 s) before the server counts as closed.
      for (const b of [live, both]) {
        b.app.server.closeAllConnections();
        await b.close();
      }
    }
  }, 30_000);
});

/**
 * Runs in the page: renders a Flex message with every element and property the renderer knows, then
 * measures it. A string, so it reaches the browser as written (the module is the page's own).
 */
const RENDER_CHECK = `(async () => {
  const { renderMessage } = await import('/simulator/flex.js');
  const tapped = [];
  const message = {
    type: 'flex',
    altText: 'test',
    contents: {
      type: 'bubble',
      styles: { header: { backgroundColor: '#010203' } },
      header: { type: 'box', layout: 'vertical', contents: [{ type: 'text', text: 'ヘッダー', size: 'xl', weight: 'bold' }] },
      hero: { type: 'image', url: 'https://example.invalid/hero.png', size: 'full', aspectRatio: '20:13', aspectMode: 'cover' },
      body: {
        type: 'box', layout: 'vertical', spacing: 'md',
        contents: [
          { type: 'box', layout: 'horizontal', contents: [
            { type: 'text', text: 'A', flex: 1, color: '#FF0000' },
            { type: 'text', text: 'B', flex: 2 },
          ] },
          { type: 'box', layout: 'baseline', contents: [{ type: 'text', text: 'ベースライン' }] },
          { type: 'separator', margin: 'lg' },
          { type: 'text', text: 'nowrap' },
          { type: 'text', text: '<b>タグ</b>', wrap: true },
          { type: 'text', contents: [{ type: 'span', text: '赤い', color: '#FF0000' }, { type: 'span', text: '太字', weight: 'bold' }] },
          { type: 'box', layout: 'vertical', backgroundColor: '#EEEEEE', cornerRadius: 'md', paddingAll: 'md', contents: [{ type: 'filler' }] },
          { type: 'image', url: 'http://example.invalid/x.png' },
        ],
      },
      footer: {
        type: 'box', layout: 'vertical', contents: [
          { type: 'button', style: 'primary', action: { type: 'postback', label: 'はい', data: 'a=1', displayText: 'はい' } },
          { type: 'button', style: 'secondary', action: { type: 'message', label: '送る', text: 'こんにちは' } },
          { type: 'button', action: { type: 'uri', label: '公式サイト', uri: 'https://www.amazon.co.jp/' } },
          { type: 'button', action: { type: 'uri', label: '危ない', uri: 'javascript:alert(1)' } },
        ],
      },
    },
  };
  const root = document.createElement('div');
  root.style.width = '300px';
  document.body.append(root);
  root.append(renderMessage(message, { onAction: (a) => tapped.push(a) }));
  const css = (e, p) => getComputedStyle(e)[p];
  const q = (s) => root.querySelector(s);
  const qa = (s) => [...root.querySelectorAll(s)];
  const body = q('.flex-body > .flex-box');
  const [row, base, sep, nowrap, wrapped, spanned, bg, httpImage] = [...body.children];
  const [a, b] = [...row.children].map((e) => e.getBoundingClientRect());
  const [primary, secondary, link, bad] = qa('.flex-footer .flex-button');
  primary.click();
  secondary.click();
  const out = {
    blocks: qa('.flex-block').map((e) => e.classList[1]),
    headerBg: css(q('.flex-header'), 'backgroundColor'),
    bodyPadding: css(body, 'paddingTop'),
    footerPadding: css(q('.flex-footer > .flex-box'), 'paddingTop'),
    sideBySide: a.right <= b.left,
    ratio: Math.round(b.width / a.width),
    baseline: css(base, 'alignItems'),
    xlSize: css(q('.flex-header .flex-text'), 'fontSize'),
    bold: css(q('.flex-header .flex-text'), 'fontWeight'),
    color: css(row.children[0], 'color'),
    nowrap: css(nowrap, 'whiteSpace'),
    wrap: css(wrapped, 'whiteSpace'),
    marginLg: css(sep, 'marginTop'),
    spacingMd: css(base, 'marginTop'),
    separator: css(sep, 'height'),
    primaryBg: css(primary, 'backgroundColor'),
    secondaryBg: css(secondary, 'backgroundColor'),
    linkColor: css(link, 'color'),
    uri: { tag: link.tagName, href: link.href, rel: link.rel },
    badUri: { tag: bad.tagName, disabled: bad.disabled },
    image: { tag: q('.flex-hero img').tagName, ratio: css(q('.flex-hero img'), 'aspectRatio') },
    httpImage: httpImage.firstElementChild.tagName,
    boxBg: css(bg, 'backgroundColor'),
    cornerRadius: css(bg, 'borderTopLeftRadius'),
    spans: [...spanned.querySelectorAll('span')].map((s) => s.textContent),
    html: root.querySelectorAll('b').length,
    tapped,
  };
  root.remove();
  return out;
})()`;
