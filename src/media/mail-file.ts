// A mail saved as a file (.eml) and shared to the bot: parsed with postal-mime, which decodes MIME
// (base64, quoted-printable, encoded words) and Japanese charsets (ISO-2022-JP, Shift_JIS, EUC-JP).
// The result is the text the detector already understands — the headers it reads (From, Reply-To,
// Return-Path, To, Subject, Message-ID, the receiving server's Authentication-Results) as "Name: value"
// lines, a blank line, then the body as the reader sees it — plus the links of the HTML part with
// their visible text, for the link_text_mismatch sign.
import { Worker } from 'node:worker_threads';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { htmlToText, type HtmlLink } from './html-text.ts';

export interface MailReading {
  text: string;
  links: HtmlLink[];
  from: string | null;
  subject: string | null;
  /** The body was longer than MAX_BODY characters and only its start is in `text`. */
  cut: boolean;
}

/** A mail body longer than this is cut (the detector reads 30,000 characters, headers included). */
export const MAX_BODY = 20_000;

/** Parsing a mail (postal-mime, the HTML part) is given up after this long. */
export const MAIL_TIMEOUT_MS = 5000;

/**
 * unreadable: not a mail. too_large: over MAX_MAIL_BYTES (or its worker's heap). timeout: over
 * MAIL_TIMEOUT_MS. busy: MAX_MAIL_WORKERS mails being read and MAX_MAIL_WAITING more waiting.
 */
export type MailProblem = 'unreadable' | 'too_large' | 'timeout' | 'busy';

export class MailError extends Error {
  readonly kind: MailProblem;
  constructor(message: string, kind: MailProblem = 'unreadable') {
    super(message);
    this.name = 'MailError';
    this.kind = kind;
  }
}

/** One header (with its folded lines) kept at most, in bytes: a subject is a few hundred. */
export const MAX_HEADER_BYTES = 2048;
/** The header block kept whole up to this many bytes; past it, only the headers read here and MIME's,
 * up to twice as many; nothing after that. */
const MAX_HEADER_BLOCK = 64 * 1024;
const KEPT_LATE =
  /^(?:from|subject|reply-to|return-path|to|message-id|authentication-results|content-[\w-]+|mime-version):/i;
/** Larger files are not parsed (the download limit is 10 MB; the simulator's upload 8 MB). */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

/**
 * The mail with every header cut to MAX_HEADER_BYTES before postal-mime sees it: its decoding of encoded
 * words takes time growing with the square of a header's length (a 400 KB subject 0.7 s, 1.7 MB 12 s).
 * A long header is cut at a space near the limit, so encoded words stay whole. The body is left as it
 * is.
 */
export function cutHeaders(bytes: Buffer): Buffer {
  let end = bytes.indexOf('\n\n');
  const crlf = bytes.indexOf('\r\n\r\n');
  if (crlf >= 0 && (end < 0 || crlf < end)) end = crlf;
  const headEnd = end < 0 ? bytes.length : end;
  const out: Buffer[] = [];
  let kept = 0;
  let header: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (header.length === 0) return;
    const first = header[0]!;
    const late = kept > MAX_HEADER_BLOCK && kept <= 2 * MAX_HEADER_BLOCK;
    if (kept <= MAX_HEADER_BLOCK || (late && KEPT_LATE.test(first.subarray(0, 40).toString('latin1')))) {
      out.push(...header);
      kept += Math.min(size, MAX_HEADER_BYTES);
    }
    header = [];
    size = 0;
  };
  for (let at = 0; at < headEnd;) {
    let nl = bytes.indexOf(0x0a, at);
    if (nl < 0 || nl >= headEnd) nl = headEnd - 1;
    const line = bytes.subarray(at, nl + 1);
    at = nl + 1;
    const folded = line[0] === 0x20 || line[0] === 0x09;
    if (!folded) flush();
    if (size >= MAX_HEADER_BYTES) continue;
    const room = MAX_HEADER_BYTES - size;
    if (line.length <= room) {
      header.push(line);
      size += line.length;
    } else {
      header.push(cutLine(line, room));
      size = MAX_HEADER_BYTES;
    }
  }
  flush();
  if (out.length === 0) return bytes;
  return Buffer.concat([...out, bytes.subarray(headEnd)]);
}

/**
 * A header line cut to `room` bytes, ending with a line break: at a space or tab among its last 128
 * bytes (an encoded word is at most 75 characters, so it stays whole), else right there.
 */
function cutLine(line: Buffer, room: number): Buffer {
  let cut = room;
  for (let i = room - 1; i > 0 && i >= room - 128; i--)
    if (line[i] === 0x20 || line[i] === 0x09) {
      cut = i;
      break;
    }
  // Never inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (cut > 0 && (line[cut]! & 0xc0) === 0x80) cut--;
  return Buffer.concat([line.subarray(0, cut), Buffer.from('\r\n')]);
}

/** Does this file look like a mail (headers first)? Plain text files are read as text instead. */
export function looksLikeMail(head: string): boolean {
  const top = head.slice(0, 4000);
  return (
    /^(?:from|received|return-path|delivered-to|message-id|date|subject|mime-version|x-[\w-]+):/im.test(
      top,
    ) && /^(?:from|subject):/im.test(top)
  );
}

/** Heap a mail's worker may use (a 9.5 MB mail with an attachment parses within it, +90 MB of RSS; beyond: "too large"). */
const WORKER_HEAP_MB = 64;
const WORKER = new URL('./mail-worker.ts', import.meta.url);
/** Mails read at once in this thread (each worker up to ~90 MB), and how many may wait for one. */
export const MAX_MAIL_WORKERS = 2;
export const MAX_MAIL_WAITING = 6;
let reading = 0;
const waiting: (() => void)[] = [];

/** A turn to start a worker; refused at once when too many wait (the person hears 「混み合っています」). */
async function turn(): Promise<void> {
  if (reading < MAX_MAIL_WORKERS) {
    reading++;
    return;
  }
  if (waiting.length >= MAX_MAIL_WAITING) throw new MailError('too many mails being read', 'busy');
  // The turn is handed over by done(): `reading` stays counted.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function done(): void {
  const next = waiting.shift();
  if (next) next();
  else reading--;
}

/**
 * Reads a mail file in a worker thread of its own, stopped at `timeoutMs`. postal-mime parses line by
 * line without ever yielding to the event loop, so a timer beside it could not fire; a worker can be
 * terminated, and the thread answering everyone else is never held up. The inputs are cut too (see
 * cutHeaders) so that parsing stays far from the limit: the limit is for what nobody foresaw (a huge
 * header inside a nested part, say).
 */
export async function readMailFile(bytes: Buffer, timeoutMs = MAIL_TIMEOUT_MS): Promise<MailReading> {
  if (bytes.length > MAX_MAIL_BYTES) throw new MailError('mail file too large', 'too_large');
  await turn();
  try {
    return await inWorker(bytes, timeoutMs);
  } finally {
    done();
  }
}

async function inWorker(bytes: Buffer, timeoutMs: number): Promise<MailReading> {
  const worker = new Worker(WORKER, {
    workerData: bytes,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16 },
    // Whatever the worker might print is dropped: nothing of a mail goes to our output.
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<MailReading>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new MailError(`reading the mail took longer than ${timeoutMs} ms`, 'timeout')),
        timeoutMs,
      );
      worker.once('message', (m: WorkerAnswer) => {
        if ('reading' in m) resolve(m.reading);
        else reject(new MailError(m.error, m.kind));
      });
      worker.once('error', (err: Error & { code?: string }) =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new MailError('the mail needed too much memory', 'too_large')
            : err,
        ),
      );
      worker.once('exit', () => reject(new MailError('the mail worker stopped without an answer')));
    });
  } finally {
    clearTimeout(timer);
    // Awaited: the turn is free only once the worker and its memory are gone.
    await worker.terminate();
  }
}

/** What mail-worker.ts posts back. */
export type WorkerAnswer = { reading: MailReading } | { error: string; kind: MailProblem };

/** Parses in this thread (mail-worker.ts calls it); readMailFile is what the bot uses. */
export async function parseMailHere(bytes: Buffer): Promise<MailReading> {
  return parseMail(bytes);
}

async function parseMail(bytes: Buffer): Promise<MailReading> {
  let mail: Email;
  try {
    mail = await PostalMime.parse(cutHeaders(bytes), { attachmentEncoding: 'arraybuffer' });
    // Forwarded "as attachment": the mail inside is the one to check.
    const inner = mail.attachments.find((a) => a.mimeType === 'message/rfc822');
    if (inner && !mail.text?.trim() && !mail.html?.trim())
      mail = await PostalMime.parse(cutHeaders(Buffer.from(inner.content as ArrayBuffer)));
  } catch (err) {
    throw new MailError(`not a readable mail: ${(err as Error).message}`);
  }
  const header = (key: string) =>
    mail.headers
      .find((h) => h.key === key)
      ?.value.replace(/\s+/g, ' ')
      .trim();
  const lines: string[] = [];
  const add = (name: string, value: string | undefined | null) => {
    if (value) lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
  };
  const from = address(mail.from);
  add('From', from);
  add('Reply-To', mail.replyTo?.map(address).filter(Boolean).join(', '));
  add('Return-Path', mail.returnPath ? `<${mail.returnPath}>` : header('return-path'));
  add('To', mail.to?.map(address).filter(Boolean).join(', '));
  add('Subject', mail.subject);
  add('Message-ID', mail.messageId);
  // The first (top) one is added by the person's own mail server: the one to trust.
  add('Authentication-Results', header('authentication-results'));

  let body = mail.text ?? '';
  let links: HtmlLink[] = [];
  if (mail.html) {
    const h = htmlToText(mail.html);
    body = h.text;
    links = h.links;
  }
  const whole = body
    .slice(0, MAX_BODY * 2)
    .replace(/\r\n?/g, '\n')
    .trim();
  body = whole.slice(0, MAX_BODY);
  if (!from && !mail.subject && body === '') throw new MailError('no headers and no body');
  return {
    text: `${lines.join('\n')}\n\n${body}`,
    links,
    from: from ?? null,
    subject: mail.subject ?? null,
    cut: whole.length > MAX_BODY,
  };
}

function address(a: Address | undefined): string | undefined {
  if (!a) return undefined;
  if (a.group) return a.group.map(address).filter(Boolean).join(', ');
  const addr = a.address ? `<${a.address}>` : '';
  const name = a.name ? `"${a.name.replace(/"/g, '')}"` : '';
  return [name, addr].filter(Boolean).join(' ') || undefined;
}
