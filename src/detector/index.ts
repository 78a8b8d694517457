// The detector: text in, verdict out. Pure — no I/O, no network; the dictionary and the rules are
// loaded once by load.ts and handed in. analyze() runs its steps in order, each in its own module:
// normalise → extract → links → brands → senders and numbers → language → requests → message → score.
import type { Compiled } from './compile.ts';
import { normalize, refang } from './normalize.ts';
import { extract } from './extract.ts';
import { analyzeLink } from './links.ts';
import { linkFindings, type ShownLink } from './message-links.ts';
import { claimOf } from './brands.ts';
import { underAny } from './hosts.ts';
import { disguisedSign } from './disguised-names.ts';
import { emailFindings } from './senders.ts';
import { phoneFindings } from './phones.ts';
import { readWords } from './language.ts';
import { keptSigns, requestSigns, scenarioOf } from './requests.ts';
import { messageSigns } from './message-signs.ts';
import { score, type ScoreInput } from './score.ts';
import type { Signal, Verdict } from './types.ts';

export type { Verdict } from './types.ts';

/** Longer input is cut: phishing messages are short, and the cut keeps every message fast. */
export const MAX_CHARS = 30_000;

/** What a message carries besides its text (a mail file's HTML links); the verdict format is the same. */
export interface AnalyzeExtra {
  links?: ShownLink[];
}

export interface Detector {
  analyze(text: string, extra?: AnalyzeExtra): Verdict;
}

/** The detector with its evidence open to inspection (npm run fit and npm run eval). */
export interface InspectableDetector extends Detector {
  /** The evidence the verdict is computed from. */
  inspect(text: string, extra?: AnalyzeExtra): ScoreInput;
  rules: Compiled['rules'];
}

export function createDetector(c: Compiled): InspectableDetector {
  return {
    analyze: (text, extra) => score(c, inspect(c, text, extra)),
    inspect: (text, extra) => inspect(c, text, extra),
    rules: c.rules,
  };
}

function inspect(c: Compiled, raw: string, extra: AnalyzeExtra = {}): ScoreInput {
  if (typeof raw !== 'string') raw = '';
  const norm = normalize(raw, MAX_CHARS);
  const ex = extract(refang(norm.text));
  const signals: Signal[] = [];

  const links = ex.urls.map((u) => analyzeLink(c, u.url, u.schemeless));
  const claim = claimOf(c, ex, links, raw.slice(0, MAX_CHARS));
  if (claim.disguised) signals.push(disguisedSign(claim.disguised));
  const urls = linkFindings(c, ex, links, claim, extra.links ?? [], signals);
  const emails = emailFindings(c, ex, claim.brand, claim.senderImitation, signals);
  const phones = phoneFindings(c, ex, signals);

  const words = readWords(c, ex.prose, norm.text, raw);
  const realLinks = links.filter((_, i) => !ex.urls[i]!.bare);
  const requestInput = { ex, textLength: norm.text.length, claim, realLinks, phones, emails, words };
  const req = requestSigns(c, requestInput, signals);
  const senderImitation = claim.senderImitation !== null;
  const msg = messageSigns(
    { norm, maxChars: MAX_CHARS, ex, urls, emails, words, req, realLinks, senderImitation },
    signals,
  );

  return {
    signals: keptSigns(c, signals, req),
    brand: claim.brand,
    scenario: scenarioOf(words, req, realLinks.length),
    urls,
    emails,
    phones,
    hasContent: msg.hasContent,
    allOfficial: msg.allOfficial || req.onlyOfficial,
    noRequest: req.noVisibleRequest,
    isMail: ex.headers !== null,
    // (The named brand's account on a large social network is no stranger's site to warn about.)
    unverifiedDomain:
      msg.realUrls.find(
        (u) => !u.official && !(claim.claimedInText && underAny(c.sets.socialProfiles, u.host)),
      )?.domain ?? null,
    // Nothing but link(s): no words around them, no address or number.
    linkAlone:
      msg.realUrls.length > 0 &&
      !/[\p{L}\p{N}]{2,}/u.test(ex.prose) &&
      emails.length + ex.phones.length === 0,
  };
}
