// A mail saved as a file (.eml) and shared to the bot: parsed with postal-mime, which decodes MIME
// (base64, quoted-printable, encoded words) and Japanese charsets (ISO-2022-JP, Shift_JIS, EUC-JP).
// The result is the text the detector already understands — the headers it reads (From, Reply-To,
// Return-Path, To, Subject, Message-ID, the receiving server's Authentication-Results) as "Name: value"
// lines, a blank line, then the body as the reader sees it — plus the links of the HTML part with
// their visible text, for the link_text_mismatch sign.
import PostalMime, { type Address, type Email } from 'postal-mime';
import { htmlToText, type HtmlLink } from './html-text.ts';

export interface MailReading {
  text: string;
  links: HtmlLink[];
  from: string | null;
  subject: string | null;
}

/** A mail body longer than this is cut (the detector reads 30,000 characters, headers included). */
const MAX_BODY = 20_000;

export class MailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailError';
  }
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

export async function readMailFile(bytes: Buffer): Promise<MailReading> {
  let mail: Email;
  try {
    mail = await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
    // Forwarded "as attachment": the mail inside is the one to check.
    const inner = mail.attachments.find((a) => a.mimeType === 'message/rfc822');
    if (inner && !mail.text?.trim() && !mail.html?.trim())
      mail = await PostalMime.parse(inner.content as ArrayBuffer);
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
  body = body.replace(/\r\n?/g, '\n').trim().slice(0, MAX_BODY);
  if (!from && !mail.subject && body === '') throw new MailError('no headers and no body');
  return {
    text: `${lines.join('\n')}\n\n${body}`,
    links,
    from: from ?? null,
    subject: mail.subject ?? null,
  };
}

function address(a: Address | undefined): string | undefined {
  if (!a) return undefined;
  if (a.group) return a.group.map(address).filter(Boolean).join(', ');
  const addr = a.address ? `<${a.address}>` : '';
  const name = a.name ? `"${a.name.replace(/"/g, '')}"` : '';
  return [name, addr].filter(Boolean).join(' ') || undefined;
}
