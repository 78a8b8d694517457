// Bytes of a plain text file to a string, whatever Japanese encoding it came in: a byte-order mark
// decides; ISO-2022-JP is recognised by its escape sequences; otherwise UTF-8 if the bytes are valid
// UTF-8, else whichever of Shift_JIS and EUC-JP decodes with fewer errors. Node's TextDecoder (full ICU)
// knows all of them.

export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (hasJisEscape(bytes)) return new TextDecoder('iso-2022-jp').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const candidates = ['shift_jis', 'euc-jp'].map((enc) => new TextDecoder(enc).decode(bytes));
    const errors = (s: string) => (s.match(/\uFFFD/g) ?? []).length;
    return candidates.sort((a, b) => errors(a) - errors(b))[0]!;
  }
}

/** ESC $ B, ESC $ @ or ESC ( J: the shifts of ISO-2022-JP. */
function hasJisEscape(bytes: Uint8Array): boolean {
  for (let i = 0; i + 2 < bytes.length && i < 65_536; i++)
    if (
      bytes[i] === 0x1b &&
      ((bytes[i + 1] === 0x24 && (bytes[i + 2] === 0x42 || bytes[i + 2] === 0x40)) ||
        (bytes[i + 1] === 0x28 && bytes[i + 2] === 0x4a))
    )
      return true;
  return false;
}
