// Hostile inputs of issue 15, made as the tests and the benchmark run (never checked in): mail files
// whose headers or HTML are built to make a careless parser take time growing with the square of
// their size, and a tall white picture that a careless scaler turns into a gigabyte.
import sharp from 'sharp';
import { renderSmsScreenshot, SCREENSHOTS } from '../../scripts/fixtures/render-screenshots.ts';

const CRLF = '\r\n';

function mail(headers: string[], body: string, contentType = 'text/plain; charset=utf-8'): Buffer {
  return Buffer.from(
    [
      'From: "Amazon" <account@amazon-co-jp.example>',
      'To: <you@example.jp>',
      'Message-ID: <hostile@example.jp>',
      'MIME-Version: 1.0',
      `Content-Type: ${contentType}`,
      ...headers,
      '',
      body,
      '',
    ].join(CRLF),
    'utf8',
  );
}

/**
 * A Subject of `bytes`: a link, then one unbroken run of "a.a.a.…" (a dotted name at every dot whose
 * last label is one letter: the old defangText restarted at each dot and scanned to the end — 20 KB
 * took 1.6 s, 100 KB 33 s).
 */
export function mailWithLongSubject(bytes = 100_000): Buffer {
  const subject = `【Amazon】https://amazon-co-jp.xyz/ ${'a.'.repeat(bytes / 2)}`.slice(0, bytes);
  return mail([`Subject: ${subject}`], 'お支払い方法に問題があります。');
}

/**
 * `bytes` of HTML after one link that is never closed: "<a <style <!-- " again and again with no ">"
 * anywhere after it, so the old regexes (`<a\b[^>]*>…<\/a>`, `<[^>]*>`) scanned to the end from every
 * "<" (500 KB took 407 s).
 */
export function mailWithHostileHtml(bytes = 200_000): Buffer {
  const head =
    '<html><body><p>お支払い方法に問題があります。</p><a href="https://amazon-co-jp.xyz/login">https://www.amazon.co.jp/';
  const html = (head + '<a <style <!-- <br <p class='.repeat(Math.ceil(bytes / 28))).slice(0, bytes);
  return mail(
    ['Subject: =?UTF-8?B?' + Buffer.from('【重要】お支払い方法の確認').toString('base64') + '?='],
    html,
    'text/html; charset=utf-8',
  );
}

/** A Subject of `bytes` of MIME encoded words (postal-mime's decoding of them grows with the square). */
export function mailWithEncodedSubject(bytes = 1_000_000): Buffer {
  const word = `=?UTF-8?B?${Buffer.from('【Amazon】お支払い方法の確認').toString('base64')}?=`;
  const folded = `${CRLF} `;
  const subject = Array.from({ length: Math.ceil(bytes / (word.length + folded.length)) }, () => word).join(
    folded,
  );
  return mail([`Subject: ${subject}`], 'https://amazon-co-jp.xyz/login からご確認ください。');
}

/**
 * A multipart mail whose attached part has a file name of `bytes` of encoded words: a header inside a
 * part, which cutting the mail's own headers does not reach; postal-mime took 28 s over this one.
 */
export function mailWithNestedEncodedName(bytes = 1_500_000): Buffer {
  const word = `=?UTF-8?B?${Buffer.from('【Amazon】お支払い方法の確認').toString('base64')}?=`;
  const name = Array.from({ length: Math.ceil(bytes / (word.length + 3)) }, () => word).join(`${CRLF} `);
  return mail(
    [`Subject: =?UTF-8?B?${Buffer.from('【重要】お支払い方法の確認').toString('base64')}?=`],
    [
      '--XX',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'https://amazon-co-jp.xyz/login からご確認ください。',
      '--XX',
      'Content-Type: application/octet-stream',
      `Content-Disposition: attachment; filename="${name}"`,
      '',
      'x',
      '--XX--',
    ].join(CRLF),
    'multipart/mixed; boundary=XX',
  );
}

/** A white PNG (450×88,000 in the issue: 267 KB of file, 39.6 million pixels). */
export async function whitePng(width = 450, height = 88_000): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

export interface HostileCase {
  name: string;
  bytes: Buffer;
  contentType: string;
  /** The LINE message (without its id) that carries the bytes. */
  message: Record<string, unknown>;
  /** Answered within this long: the bounds (5 s for the mails, 10 s for its PNG); 15 s, the OCR limit, for the tall screenshot. */
  boundMs: number;
  /** The answer (its messages' texts, a card's altText, one per line): a verdict's label first, or a kind refusal. */
  answer: RegExp;
}

const VERDICT = /^【(?:危険|注意|判定できません|危険なサインは見つかりません)】/;

/** A long scroll capture: `screens` phone screenshots of an SMS one under the other (1080 wide). */
export async function tallScreenshot(screens = 4): Promise<Buffer> {
  const shot = await renderSmsScreenshot(SCREENSHOTS.sagawa);
  return sharp({ create: { width: 1080, height: screens * 2340, channels: 3, background: '#ffffff' } })
    .composite(Array.from({ length: screens }, (_, i) => ({ input: shot, top: i * 2340, left: 0 })))
    .png()
    .toBuffer();
}

/** The hostile files, and a tall screenshot full of text, as LINE file and image messages. */
export async function hostileCases(): Promise<HostileCase[]> {
  const file = (name: string, fileName: string, bytes: Buffer, boundMs: number): HostileCase => ({
    name,
    bytes,
    contentType: 'message/rfc822',
    message: { type: 'file', fileName, fileSize: bytes.length },
    boundMs,
    answer: new RegExp(
      `${VERDICT.source}|^ファイルが大きすぎる|^メールのファイルの読み取りに時間がかかりすぎた`,
    ),
  });
  return [
    file('mail: 100 KB Subject', 'subject.eml', mailWithLongSubject(100_000), 5000),
    file('mail: 200 KB hostile HTML', 'html.eml', mailWithHostileHtml(200_000), 5000),
    file('mail: 1 MB of encoded words', 'encoded.eml', mailWithEncodedSubject(1_000_000), 5000),
    // Past the 5 s limit for reading a mail: the kind "took too long" answer, the worker stopped.
    file('mail: 1.5 MB encoded file name in a part', 'nested.eml', mailWithNestedEncodedName(), 7000),
    {
      name: 'PNG: white 450×88,000',
      bytes: await whitePng(),
      contentType: 'image/png',
      message: { type: 'image', contentProvider: { type: 'line' } },
      boundMs: 10_000,
      // Nothing drawn on it: the kind "could not read" answer (or, refused, "too large").
      answer: /^画像から文字を読み取れませんでした|^画像が大きすぎる/,
    },
    {
      name: 'PNG: tall screenshot, 1080×9,360 of text',
      bytes: await tallScreenshot(4),
      contentType: 'image/png',
      message: { type: 'image', contentProvider: { type: 'line' } },
      boundMs: 15_000,
      // Read as its top 4,800 px, with the note saying so; or stopped at the 15 s OCR limit.
      answer: /^【危険】[^]*上の部分だけを読み取りました|^画像の読み取りに時間がかかりすぎた/,
    },
  ];
}
