// What the conversation needs to read pictures and files: where the bytes come from, the OCR pool, and
// the limits. buildApp makes one from the configuration; the simulator page (issue 6) can bring its own
// ContentSource holding uploaded bytes.
import type { ContentSource } from './content.ts';
import type { OcrPool } from './ocr-pool.ts';

export interface MediaLimits {
  /** Largest picture downloaded (LINE's own photos are ~0.2–2 MB; an "original quality" one ~10 MB). */
  imageBytes: number;
  /** Largest file downloaded (.eml, .txt). */
  fileBytes: number;
  /** The whole download, retries included. */
  downloadTimeoutMs: number;
}

export const MEDIA_LIMITS: MediaLimits = {
  imageBytes: 12 * 1024 * 1024,
  fileBytes: 10 * 1024 * 1024,
  downloadTimeoutMs: 15_000,
};

export interface MediaDeps {
  content: ContentSource;
  ocr: OcrPool;
  limits: MediaLimits;
}
