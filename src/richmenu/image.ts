// The rich menu picture: the definition's SVG rendered to PNG with sharp, or a picture given on the
// command line; either way checked against LINE's rules before anything is sent.
import sharp from 'sharp';
import { richMenuSvg, type RichMenuDef } from './definition.ts';

/** LINE's limit for a rich menu picture (https://developers.line.biz/ja/reference/messaging-api/#upload-rich-menu-image). */
export const MAX_IMAGE_BYTES = 1024 * 1024;

export interface MenuImage {
  bytes: Buffer;
  type: 'image/png' | 'image/jpeg';
}

export async function renderMenuImage(m: RichMenuDef): Promise<MenuImage> {
  const bytes = await sharp(Buffer.from(richMenuSvg(m)))
    .png({ compressionLevel: 9, palette: true })
    .toBuffer();
  return checkMenuImage(m, bytes);
}

/** The picture's problems in one sentence each; throws when LINE would refuse it. */
export async function checkMenuImage(m: RichMenuDef, bytes: Buffer): Promise<MenuImage> {
  const meta = await sharp(bytes).metadata();
  const problems: string[] = [];
  if (meta.format !== 'png' && meta.format !== 'jpeg') problems.push(`is ${meta.format}, not PNG or JPEG`);
  if (meta.width !== m.width || meta.height !== m.height)
    problems.push(`is ${meta.width}×${meta.height}, the menu is ${m.width}×${m.height}`);
  if (bytes.length > MAX_IMAGE_BYTES) problems.push(`is ${bytes.length} bytes, LINE takes at most 1 MB`);
  if (problems.length) throw new Error(`the rich menu picture ${problems.join('; ')}`);
  return { bytes, type: meta.format === 'png' ? 'image/png' : 'image/jpeg' };
}
