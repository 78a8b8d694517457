// A text's lower case, worked out once: the brand, disguised-name, phrase, font and own-channel steps all
// read the same prose in lower case, and for Japanese text each toLowerCase() is a new string built through
// ICU. A pure function remembered for its last two inputs (a mail's header names come between).
let lastIn: string | undefined;
let lastOut = '';
let prevIn: string | undefined;
let prevOut = '';

/** s.toLowerCase(). */
export function lowerOf(s: string): string {
  if (s === lastIn) return lastOut;
  if (s === prevIn) return prevOut;
  prevIn = lastIn;
  prevOut = lastOut;
  lastIn = s;
  lastOut = s.toLowerCase();
  return lastOut;
}
