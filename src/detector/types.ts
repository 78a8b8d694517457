// The verdict, exactly as ../shared/CONTRACT.md §2 defines it.
import type { SignalCode } from './signals.ts';

export type Risk = 'high' | 'medium' | 'low' | 'unknown';
export type Severity = 'high' | 'medium' | 'low' | 'info';

export interface Reason {
  code: string;
  severity: Severity;
  message: string;
}

export interface VerdictUrl {
  url: string;
  host: string;
  domain: string;
  official: boolean;
  codes: string[];
  /** The host as the user would read it, when it is an internationalised (punycode) name. */
  hostUnicode?: string;
}

export interface VerdictEmail {
  address: string;
  domain: string;
  official: boolean;
}

export interface VerdictPhone {
  number: string;
  codes: string[];
}

export interface Verdict {
  risk: Risk;
  score: number;
  brand: { id: string; name: string } | null;
  scenario: string | null;
  reasons: Reason[];
  urls: VerdictUrl[];
  emails: VerdictEmail[];
  phones: VerdictPhone[];
  advice: string[];
}

/** One piece of evidence found in a message; scoring.yaml says how much it weighs and how to word it. */
export interface Signal {
  /** One of the catalogue (signals.ts). */
  code: SignalCode;
  /** Values for the message placeholders ({host}, {evidence} …). */
  vars?: Record<string, string>;
  /** How many different phrases showed this sign (more phrases, more weight; see max_repeats). */
  count?: number;
}
