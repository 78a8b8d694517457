// The rich menu, from rules/richmenu.yaml: the Messaging API's rich menu object, the picture (an SVG
// drawn from the same labels, so the picture and the tap areas cannot drift apart), and what the
// simulator page needs to draw it. One definition for LINE and the simulator.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, basename } from 'node:path';
import type { messagingApi } from '@line/bot-sdk';
import { z } from 'zod';
import { readRuleFile } from '../rules/load.ts';

export const DEFAULT_RICHMENU_FILE = fileURLToPath(new URL('../../rules/richmenu.yaml', import.meta.url));

/** LINE's two rich menu sizes (https://developers.line.biz/ja/reference/messaging-api/#size-object). */
const SIZES = ['2500x1686', '2500x843'];
const colour = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'a colour like #06C755');

const Area = z.object({
  label: z.string().trim().min(1).max(12),
  sub: z.string().trim().min(1).max(20),
  color: colour,
  data: z.string().min(1).max(300),
  display_text: z.string().trim().min(1).max(300),
  input_option: z.enum(['closeRichMenu', 'openRichMenu', 'openKeyboard', 'openVoice']).optional(),
});

export const RichMenuFile = z
  .object({
    name: z.string().trim().min(1).max(200),
    chat_bar_text: z.string().trim().min(1).max(14),
    width: z.number().int(),
    height: z.number().int(),
    columns: z.number().int().min(1).max(5),
    rows: z.number().int().min(1).max(4),
    background: colour,
    line_color: colour,
    areas: z.array(Area).min(1).max(20),
    check_text: z.string().trim().min(1).max(1000),
  })
  .refine((m) => SIZES.includes(`${m.width}x${m.height}`), {
    message: `width × height must be one of LINE's sizes: ${SIZES.join(', ')}`,
    path: ['width'],
  })
  .refine((m) => m.areas.length === m.columns * m.rows, {
    message: 'there must be exactly columns × rows areas',
    path: ['areas'],
  });

export type RichMenuDef = z.infer<typeof RichMenuFile>;
export type RichMenuArea = RichMenuDef['areas'][number];

export function loadRichMenu(file = DEFAULT_RICHMENU_FILE): RichMenuDef {
  return readRuleFile(dirname(file), basename(file), RichMenuFile);
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Each area's cell in the grid, in reading order; the last column and row take the remainder. */
export function areaBounds(m: RichMenuDef): Bounds[] {
  const w = Math.floor(m.width / m.columns);
  const h = Math.floor(m.height / m.rows);
  return m.areas.map((_, i) => {
    const col = i % m.columns;
    const row = Math.floor(i / m.columns);
    return {
      x: col * w,
      y: row * h,
      width: col === m.columns - 1 ? m.width - col * w : w,
      height: row === m.rows - 1 ? m.height - row * h : h,
    };
  });
}

export function areaAction(a: RichMenuArea): messagingApi.PostbackAction {
  const action: messagingApi.PostbackAction = {
    type: 'postback',
    label: a.label,
    data: a.data,
    displayText: a.display_text,
  };
  if (a.input_option) action.inputOption = a.input_option;
  return action;
}

/**
 * The rich menu object. Its name ends with a hash of the definition, so a published menu tells which
 * version it is, and the command recognises menus it made earlier.
 */
export function richMenuRequest(m: RichMenuDef): messagingApi.RichMenuRequest {
  const bounds = areaBounds(m);
  return {
    size: { width: m.width, height: m.height },
    selected: true,
    name: `${m.name} ${definitionHash(m)}`,
    chatBarText: m.chat_bar_text,
    areas: m.areas.map((a, i) => ({ bounds: bounds[i]!, action: areaAction(a) })),
  };
}

export function definitionHash(m: RichMenuDef): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 12);
}

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** Simple marks drawn as paths (no font needed), one per area in order; more areas repeat them. */
const MARKS = [
  // a tick
  'M-52 4 L-14 42 L58 -40',
  // a question mark
  'M-28 -26 A28 28 0 1 1 10 0 C0 8 0 14 0 24 M0 50 L0 52',
  // an exclamation mark
  'M0 -56 L0 22 M0 54 L0 56',
  // an "i"
  'M0 -52 L0 -50 M0 -16 L0 56',
];

/**
 * The picture as SVG: a grid of large labels, each with a coloured round mark and a short line under
 * it. Text uses a Japanese font installed on the machine (Noto Sans CJK JP; fonts-noto-cjk on Debian).
 */
export function richMenuSvg(m: RichMenuDef): string {
  const bounds = areaBounds(m);
  const unit = Math.min(bounds[0]!.width, bounds[0]!.height);
  const font = `'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', sans-serif`;
  const cells = m.areas.map((a, i) => {
    const b = bounds[i]!;
    const cx = b.x + b.width / 2;
    const r = unit * 0.14;
    const markY = b.y + b.height * 0.3;
    const labelSize = Math.round(unit * 0.15);
    const subSize = Math.round(unit * 0.075);
    const scale = (r / 70).toFixed(3);
    return [
      `<circle cx="${cx}" cy="${markY}" r="${r}" fill="${a.color}"/>`,
      `<path d="${MARKS[i % MARKS.length]}" transform="translate(${cx} ${markY}) scale(${scale})" ` +
        `fill="none" stroke="#FFFFFF" stroke-width="16" stroke-linecap="round" stroke-linejoin="round"/>`,
      `<text x="${cx}" y="${b.y + b.height * 0.66}" font-size="${labelSize}" font-weight="700" ` +
        `fill="#1F2328" text-anchor="middle">${esc(a.label)}</text>`,
      `<text x="${cx}" y="${b.y + b.height * 0.84}" font-size="${subSize}" fill="#57606A" ` +
        `text-anchor="middle">${esc(a.sub)}</text>`,
    ].join('\n  ');
  });
  const lines: string[] = [];
  for (let c = 1; c < m.columns; c++) {
    const x = bounds[c]!.x;
    lines.push(`<line x1="${x}" y1="0" x2="${x}" y2="${m.height}"/>`);
  }
  for (let r = 1; r < m.rows; r++) {
    const y = bounds[r * m.columns]!.y;
    lines.push(`<line x1="0" y1="${y}" x2="${m.width}" y2="${y}"/>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${m.width}" height="${m.height}" ` +
      `viewBox="0 0 ${m.width} ${m.height}" font-family="${font}">`,
    `<rect width="${m.width}" height="${m.height}" fill="${m.background}"/>`,
    `<g stroke="${m.line_color}" stroke-width="6">${lines.join('')}</g>`,
    `  ${cells.join('\n  ')}`,
    '</svg>',
  ].join('\n');
}

/** What the simulator page draws: the picture's size and each area's bounds and postback. */
export function simulatorMenu(m: RichMenuDef) {
  const req = richMenuRequest(m);
  return {
    width: m.width,
    height: m.height,
    chatBarText: m.chat_bar_text,
    areas: (req.areas ?? []).map((a) => ({ bounds: a.bounds, action: a.action })),
  };
}
