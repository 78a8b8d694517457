// Pictures and files sent in a 1:1 chat: download (media/content.ts), read (OCR and QR for pictures,
// MIME for mail files), judge with the same detector, and answer with what was read followed by the
// same verdict card a pasted text gets. Every failure has its own kind answer (rules/replies.yaml).
// Nothing read is logged: the note holds counts and times only.
import type { Verdict } from '../detector/types.ts';
import type { Chat, FileContent, ImageContent } from '../line/events.ts';
import { defangHost, defangText } from '../line/defang.ts';
import { verdictCard } from '../line/flex.ts';
import { clip } from '../line/limits.ts';
import { text, type Message } from '../line/messages.ts';
import { ContentError, type Content } from '../media/content.ts';
import { decodeText } from '../media/decode-text.ts';
import { looksLikeMail, MailError, MAX_BODY, readMailFile } from '../media/mail-file.ts';
import { OcrBusyError, OcrTimeoutError } from '../media/ocr-pool.ts';
import { joinParagraphs, type ReadLine } from '../media/ocr-text.ts';
import { ImageError } from '../media/prepare-image.ts';
import { readScreenshot, type ScreenshotReading } from '../media/read-screenshot.ts';
import { fill, renderAnswer, RISK_LABEL, type AnswerCopy, type Copy } from '../words.ts';
import { rememberVerdict } from '../store/context.ts';
import type { HandlerDeps, Outcome } from './handler.ts';
import { takeCheck } from './rate-limit.ts';
import { addReportCard, kindOfText } from '../report/hook.ts';
import type { ReportInput } from '../report/mailto.ts';

type Note = Outcome['note'];

const IMAGE_FILE = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;
const MAIL_FILE = /\.(eml|mht|msg822)$/i;
const TEXT_FILE = /\.(txt|text)$/i;
/** Shown from a screenshot: this many characters of text, this many links. */
const EXCERPT_CHARS = 80;
const SHOWN_LINKS = 2;
/** Fewer letters and digits than this read from a picture (and no QR code): nothing was read. */
const MIN_READ_CHARS = 8;

export async function onImage(m: ImageContent, chat: Chat, deps: HandlerDeps): Promise<Outcome> {
  const note: Note = { kind: 'image', provider: m.contentProvider.type };
  // An "external" picture is only a URL that someone else's app gave: the server never fetches a URL
  // from a message (SSRF, and the address itself may be the scam's).
  if (m.contentProvider.type !== 'line') return answer(deps.copy, deps.copy.answers.image_external, note);
  return withBytes(m.id, 'image', chat, deps, note, (content) =>
    judgeImage(content.bytes, m.id, chat, deps, note),
  );
}

export async function onFile(m: FileContent, chat: Chat, deps: HandlerDeps): Promise<Outcome> {
  const { copy } = deps;
  const name = m.fileName.trim();
  const kind = IMAGE_FILE.test(name)
    ? 'image'
    : MAIL_FILE.test(name)
      ? 'mail'
      : TEXT_FILE.test(name)
        ? 'text'
        : null;
  const note: Note = { kind: 'file', file: kind ?? 'other', bytes: m.fileSize ?? -1 };
  if (!kind) return answer(copy, copy.answers.file_unsupported, note);
  const limits = deps.media?.limits;
  const max = kind === 'image' ? limits?.imageBytes : limits?.fileBytes;
  if (max !== undefined && m.fileSize !== undefined && m.fileSize > max)
    return answer(copy, kind === 'image' ? copy.answers.image_too_large : copy.answers.file_too_large, note);
  return withBytes(m.id, kind === 'image' ? 'image' : 'file', chat, deps, note, async (content) => {
    if (kind === 'image') return judgeImage(content.bytes, m.id, chat, deps, note);
    return judgeFile(content.bytes, kind, m.id, chat, deps, note);
  });
}

/** Rate limit, download, then `use`; a failure on the way becomes its answer. */
async function withBytes(
  messageId: string,
  kind: 'image' | 'file',
  chat: Chat,
  deps: HandlerDeps,
  note: Note,
  use: (c: Content) => Promise<Outcome>,
): Promise<Outcome> {
  const { copy } = deps;
  const a = copy.answers;
  const media = deps.media;
  if (!media) return answer(copy, a.content_failed, { ...note, media: 'off' });
  const allowed = await takeCheck(deps.store, chat, deps.rateLimits, true);
  if (!allowed.ok) {
    const limited = { ...note, limited: allowed.scope };
    if (!allowed.notice) return { messages: [], note: limited };
    return answer(copy, a.rate_limited, limited, { minutes: allowed.minutes });
  }
  let content: Content;
  const started = performance.now();
  try {
    content = await media.content.fetch(messageId, {
      maxBytes: kind === 'image' ? media.limits.imageBytes : media.limits.fileBytes,
      timeoutMs: media.limits.downloadTimeoutMs,
    });
  } catch (err) {
    if (!(err instanceof ContentError)) throw err;
    const failed = { ...note, content: err.kind, status: err.status ?? 0 };
    if (err.kind === 'too_large')
      return answer(copy, kind === 'image' ? a.image_too_large : a.file_too_large, failed);
    if (err.kind === 'not_found' || err.kind === 'gone') return answer(copy, a.content_gone, failed);
    deps.log.warn({ content: err.kind, status: err.status ?? undefined }, 'content download failed');
    return answer(copy, a.content_failed, failed);
  }
  note.downloadMs = Math.round(performance.now() - started);
  note.bytes = content.bytes.length;
  return use(content);
}

async function judgeImage(
  bytes: Buffer,
  messageId: string,
  chat: Chat,
  deps: HandlerDeps,
  note: Note,
): Promise<Outcome> {
  const { copy } = deps;
  const a = copy.answers;
  let reading: ScreenshotReading;
  const started = performance.now();
  try {
    reading = await readScreenshot(bytes, deps.media!.ocr);
  } catch (err) {
    if (err instanceof OcrBusyError) return answer(copy, a.ocr_busy, { ...note, ocr: 'busy' });
    if (err instanceof OcrTimeoutError) return answer(copy, a.ocr_timeout, { ...note, ocr: 'timeout' });
    if (err instanceof ImageError)
      return answer(copy, err.kind === 'too_many_pixels' ? a.image_too_large : a.image_unsupported, {
        ...note,
        image: err.kind,
      });
    throw err;
  }
  Object.assign(note, {
    ocrMs: Math.round(performance.now() - started),
    lines: reading.lines.length,
    qr: reading.qr.length,
    urlPasses: reading.urlPasses,
    dark: reading.dark,
    cut: reading.cut,
  });
  const body = [joinParagraphs(reading.lines), ...reading.qr].join('\n').trim();
  const verdict = (await deps.detector).analyze(body);
  note.risk = verdict.risk;
  note.brand = verdict.brand?.id ?? 'none';
  // A few stray letters read from a photo's texture are not a message.
  const meaningful = (body.match(/[\p{L}\p{N}]/gu) ?? []).length;
  // Nothing to judge (no_content), not a link the bot cannot vouch for (unknown with unverified_site).
  const nothing = verdict.reasons.some((r) => r.code === 'no_content');
  if ((nothing || meaningful < MIN_READ_CHARS) && reading.qr.length === 0)
    return answer(copy, a.image_unreadable, { ...note, unreadable: true });
  const summary = imageSummary(copy, verdict, reading);
  return reply(copy, verdict, summary, messageId, chat, deps, note, { kind: 'sms', text: body });
}

async function judgeFile(
  bytes: Buffer,
  kind: 'mail' | 'text',
  messageId: string,
  chat: Chat,
  deps: HandlerDeps,
  note: Note,
): Promise<Outcome> {
  const { copy } = deps;
  const m = copy.media;
  let body: string;
  let summary: string[];
  let links: { text: string; href: string }[] = [];
  let report: ReportInput | undefined;
  try {
    const asText = kind === 'text' ? decodeText(bytes) : null;
    if (asText === null || looksLikeMail(asText)) {
      const mail = await readMailFile(bytes);
      body = mail.text;
      links = mail.links;
      summary = [];
      // Cut first, then defang: a header can be kilobytes long.
      if (mail.from) summary.push(fill(m.mail_from, { from: defangText(clip(mail.from, 80)) }));
      if (mail.subject) summary.push(fill(m.mail_subject, { subject: defangText(clip(mail.subject, 80)) }));
      if (mail.cut) summary.push(longNote(copy));
      note.file = 'mail';
      // The body only: the header lines hold the person's own address (To).
      const text = body.slice(body.indexOf('\n\n') + 2);
      report = { kind: 'mail', text, from: mail.from, subject: mail.subject };
    } else {
      const whole = asText
        .slice(0, 2 * MAX_BODY)
        .replace(/\r\n?/g, '\n')
        .trim();
      body = whole.slice(0, MAX_BODY);
      summary = [`${m.read_heading}：`, `「${excerpt(body.split('\n'))}」`];
      if (whole.length > MAX_BODY) summary.push(longNote(copy));
    }
  } catch (err) {
    if (err instanceof MailError) {
      if (err.kind === 'too_large')
        return answer(copy, copy.answers.file_too_large, { ...note, mail: err.kind });
      if (err.kind === 'timeout') return answer(copy, copy.answers.mail_timeout, { ...note, mail: err.kind });
      if (err.kind === 'busy') return answer(copy, copy.answers.mail_busy, { ...note, mail: err.kind });
      return answer(copy, copy.answers.file_unreadable, { ...note, unreadable: true });
    }
    throw err;
  }
  const verdict = (await deps.detector).analyze(body, { links });
  note.risk = verdict.risk;
  note.brand = verdict.brand?.id ?? 'none';
  note.links = links.length;
  if (verdict.risk === 'unknown' && body.trim() === '')
    return answer(copy, copy.answers.file_unreadable, { ...note, unreadable: true });
  const label = RISK_LABEL[verdict.risk];
  const intro = fill(note.file === 'mail' ? m.mail_read : m.text_read, { label });
  const parts = [intro, summary.join('\n')];
  const linkLines = linksBlock(copy, verdict, []);
  if (linkLines) parts.push(linkLines);
  report ??= { kind: kindOfText(body, verdict), text: body };
  const mail = kind === 'mail' || note.file === 'mail';
  return reply(copy, verdict, parts.filter(Boolean).join('\n\n'), messageId, chat, deps, note, report, mail);
}

/** A file longer than the bot reads: only its start was checked (the same words as for a long text). */
function longNote(copy: Copy): string {
  return fill(copy.verdict.long_text_note, { limit: MAX_BODY.toLocaleString('ja-JP') });
}

/** What was read from a picture: the first lines, the links with their real domains, QR contents. */
function imageSummary(copy: Copy, v: Verdict, r: ScreenshotReading): string {
  const m = copy.media;
  const parts = [fill(m.image_read, { label: RISK_LABEL[v.risk] })];
  const lines = messageLines(r.lines);
  if (lines.length) parts.push(`${m.read_heading}：\n「${excerpt(lines)}」`);
  const links = linksBlock(copy, v, r.qr);
  if (links) parts.push(links);
  const qrTexts = r.qr.filter((q) => !/^https?:\/\//i.test(q.trim()));
  if (qrTexts.length) parts.push(`${m.qr_text}：\n「${defangText(clip(qrTexts.join(' '), 100))}」`);
  const uncertain = v.urls.some((u) => r.uncertainHosts.includes(u.host));
  const notes = [...(r.cut ? [m.image_cut] : []), ...(uncertain ? [m.uncertain] : []), m.check_reading];
  parts.push(notes.join('\n'));
  return parts.join('\n\n');
}

function linksBlock(copy: Copy, v: Verdict, qr: string[]): string {
  const m = copy.media;
  const shown = v.urls.slice(0, SHOWN_LINKS).map((u) => {
    const host = defangHost(clip(u.hostUnicode ?? u.host, 80));
    const domain = defangHost(clip(u.domain || u.host, 80));
    const fromQr = qr.some((q) => q.includes(u.host));
    // The host is its own domain: named once.
    if (domain === host) return `・${fromQr ? fill(m.qr_link_same, { host }) : host}`;
    return `・${fill(fromQr ? m.qr_link : m.link, { host, domain })}`;
  });
  return shown.length ? [`${m.links_heading}：`, ...shown].join('\n') : '';
}

/**
 * The lines worth showing: bubbles with some Japanese or a link, not the clock, the sender's number or
 * the input field's placeholder on their own.
 */
function messageLines(lines: ReadLine[]): string[] {
  const paragraphs = joinParagraphs(lines).split('\n');
  const useful = paragraphs.filter(
    (p) =>
      (p.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu) ?? []).length >= 4 ||
      /https?:\/\//i.test(p),
  );
  return useful.length ? useful : paragraphs.filter((p) => p.trim().length >= 4);
}

/** The first characters of some lines, links defanged, cut with "…". */
function excerpt(lines: string[]): string {
  const joined = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return defangText(clip(joined, EXCERPT_CHARS));
}

async function reply(
  copy: Copy,
  v: Verdict,
  summary: string,
  messageId: string,
  chat: Chat,
  deps: HandlerDeps,
  note: Note,
  report: ReportInput,
  mail = false,
): Promise<Outcome> {
  await rememberVerdict(deps.store, chat.id, v, messageId, deps.now(), mail || v.emails.length > 0);
  // The verdict first (CONTRACT §5, and what a worried person needs first), then what was read, short,
  // so they can check the reading; the buttons go under the last message, where LINE shows them.
  const card = verdictCard(copy, v, { mail });
  const read: Message = { ...text(summary), quickReply: card.quickReply! };
  delete card.quickReply;
  const messages: Message[] = [card, read];
  addReportCard(messages, v, report);
  return { messages, note };
}

function answer(copy: Copy, a: AnswerCopy, note: Note, vars: Record<string, string | number> = {}): Outcome {
  return { messages: [text(renderAnswer(a, vars), copy)], note };
}
