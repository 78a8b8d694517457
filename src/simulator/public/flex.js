// @ts-check
// Draws LINE message objects as LINE shows them: text messages, and Flex bubbles (header, hero, body,
// footer; box vertical / horizontal / baseline; text with spans; button; separator; image; icon;
// filler) with LINE's sizes, spacing, margins, paddings and colours. Every piece of text goes in with
// textContent, never as HTML: the bot's replies quote what the person sent.

/** @typedef {{ [key: string]: unknown }} Json */
/**
 * An action of a button, a quick reply or a tappable component.
 * @typedef {{ type: string, label?: string, data?: string, displayText?: string, text?: string, uri?: string }} Action
 */
/**
 * What the page does when something is tapped (postback, message); uri actions are plain links.
 * @typedef {{ onAction: (action: Action) => void }} Handlers
 */

/** LINE's keywords for spacing, margin, padding and corner radius, in px. */
const SPACING = { none: 0, xs: 2, sm: 4, md: 8, lg: 12, xl: 16, xxl: 20 };
const TEXT_SIZE = {
  xxs: 11,
  xs: 13,
  sm: 14,
  md: 16,
  lg: 19,
  xl: 22,
  xxl: 29,
  '3xl': 35,
  '4xl': 48,
  '5xl': 74,
};
const IMAGE_SIZE = {
  xxs: 40,
  xs: 60,
  sm: 80,
  md: 100,
  lg: 120,
  xl: 140,
  xxl: 160,
  '3xl': 180,
  '4xl': 200,
  '5xl': 220,
};
const BUBBLE_WIDTH = { nano: 120, micro: 160, deca: 220, hecto: 241, kilo: 260, mega: 300, giga: 500 };
const BORDER_WIDTH = { none: 0, light: 0.5, normal: 1, medium: 2, 'semi-bold': 3, bold: 4 };
const BUTTON_HEIGHT = { sm: 40, md: 52 };
/** Default padding of each block of a bubble. */
const BLOCK_PADDING = { header: 20, hero: 0, body: 20, footer: 10 };
const BLOCKS = /** @type {const} */ (['header', 'hero', 'body', 'footer']);

/**
 * @param {unknown} v
 * @returns {v is Json}
 */
export function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * @param {Json} n
 * @param {string} k
 * @returns {string | undefined}
 */
function str(n, k) {
  const v = n[k];
  return typeof v === 'string' ? v : undefined;
}

/**
 * @param {Json} n
 * @param {string} k
 * @returns {Json | undefined}
 */
function obj(n, k) {
  const v = n[k];
  return isObject(v) ? v : undefined;
}

/**
 * @param {Json} n
 * @param {string} k
 * @returns {Json[]}
 */
function list(n, k) {
  const v = n[k];
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/**
 * A keyword from `table`, or a length in px or %; anything else is ignored.
 * @param {string | undefined} v
 * @param {Record<string, number>} table
 * @returns {string | undefined}
 */
function length(v, table) {
  if (v === undefined) return undefined;
  if (Object.hasOwn(table, v)) return `${table[v]}px`;
  if (/^\d+(\.\d+)?(px|%)$/.test(v)) return v;
  return undefined;
}

/**
 * #RRGGBB or #RRGGBBAA, as LINE accepts; anything else is ignored.
 * @param {string | undefined} v
 * @returns {string | undefined}
 */
function color(v) {
  return v !== undefined && /^#([0-9a-f]{6}|[0-9a-f]{8})$/i.test(v) ? v : undefined;
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The action as something to parse from unknown JSON.
 * @param {unknown} v
 * @returns {Action | undefined}
 */
export function asAction(v) {
  if (!isObject(v) || typeof v.type !== 'string') return undefined;
  /** @type {Action} */
  const a = { type: v.type };
  for (const k of /** @type {const} */ (['label', 'data', 'displayText', 'text', 'uri'])) {
    const s = str(v, k);
    if (s !== undefined) a[k] = s;
  }
  return a;
}

/**
 * Links LINE would open: web pages, phone numbers and mail. Nothing else becomes an href.
 * @param {string | undefined} uri
 * @returns {string | undefined}
 */
export function safeUri(uri) {
  return uri !== undefined && /^(https?:\/\/|tel:|mailto:)/i.test(uri) ? uri : undefined;
}

/**
 * One message as its bubble (the row around it, with avatar and time, is the page's).
 * @param {Json} message
 * @param {Handlers} handlers
 * @returns {HTMLElement}
 */
export function renderMessage(message, handlers) {
  const type = str(message, 'type');
  if (type === 'text') {
    const b = el('div', 'bubble bubble-text', str(message, 'text') ?? '');
    b.dataset.type = 'text';
    return b;
  }
  if (type === 'flex') {
    const contents = obj(message, 'contents');
    const wrap = el('div', 'flex-message');
    wrap.dataset.type = 'flex';
    const alt = str(message, 'altText');
    wrap.setAttribute('role', 'group');
    if (alt) wrap.setAttribute('aria-label', alt);
    if (contents && str(contents, 'type') === 'carousel') {
      wrap.classList.add('flex-carousel');
      for (const b of list(contents, 'contents')) wrap.append(renderBubble(b, handlers));
    } else if (contents) wrap.append(renderBubble(contents, handlers));
    return wrap;
  }
  if (type === 'image') {
    const url = safeUri(str(message, 'previewImageUrl') ?? str(message, 'originalContentUrl'));
    if (url?.startsWith('https://')) {
      const img = /** @type {HTMLImageElement} */ (el('img', 'bubble-image'));
      img.src = url;
      img.alt = '画像';
      return img;
    }
  }
  const alt = str(message, 'altText');
  const shown = type === 'sticker' ? '（スタンプ）' : alt ? alt : `（${type ?? '不明'} のメッセージ）`;
  const b = el('div', 'bubble bubble-text bubble-other', shown);
  b.dataset.type = type ?? 'unknown';
  return b;
}

/**
 * @param {Json} bubble
 * @param {Handlers} handlers
 * @returns {HTMLElement}
 */
function renderBubble(bubble, handlers) {
  const b = el('div', 'flex-bubble');
  const size = str(bubble, 'size') ?? 'mega';
  b.style.width = `${Object.hasOwn(BUBBLE_WIDTH, size) ? BUBBLE_WIDTH[/** @type {keyof BUBBLE_WIDTH} */ (size)] : 300}px`;
  if (str(bubble, 'direction') === 'rtl') b.dir = 'rtl';
  const styles = obj(bubble, 'styles') ?? {};
  let first = true;
  for (const name of BLOCKS) {
    const block = obj(bubble, name);
    if (!block) continue;
    const style = obj(styles, name) ?? {};
    const section = el('div', `flex-block flex-${name}`);
    const bg = color(str(style, 'backgroundColor'));
    if (bg) section.style.backgroundColor = bg;
    if (!first && style.separator === true)
      section.style.borderTop = `1px solid ${color(str(style, 'separatorColor')) ?? '#D4D6DA'}`;
    first = false;
    const component = renderComponent(block, 'vertical', handlers);
    if (str(block, 'type') === 'box') {
      // The block's own padding, unless the box sets one.
      const p = `${BLOCK_PADDING[name]}px`;
      const s = component.style;
      if (!s.paddingTop) s.paddingTop = p;
      if (!s.paddingBottom) s.paddingBottom = p;
      if (!s.paddingLeft) s.paddingLeft = p;
      if (!s.paddingRight) s.paddingRight = p;
    }
    section.append(component);
    b.append(section);
  }
  const action = asAction(bubble.action);
  if (action) tappable(b, action, handlers);
  return b;
}

/**
 * @param {Json} node
 * @param {string} parentLayout 'vertical' | 'horizontal' | 'baseline'
 * @param {Handlers} handlers
 * @returns {HTMLElement}
 */
function renderComponent(node, parentLayout, handlers) {
  const type = str(node, 'type');
  let e;
  switch (type) {
    case 'box':
      e = renderBox(node, handlers);
      break;
    case 'text':
      e = renderText(node);
      break;
    case 'button':
      e = renderButton(node, handlers);
      break;
    case 'separator':
      e = el('div', 'flex-separator');
      e.style.backgroundColor = color(str(node, 'color')) ?? '#D4D6DA';
      break;
    case 'image':
      e = renderImage(node);
      break;
    case 'icon':
      e = renderIcon(node);
      break;
    case 'filler':
    case 'spacer':
      e = el('div', 'flex-filler');
      break;
    case 'video': {
      const alt = obj(node, 'altContent');
      e = alt ? renderComponent(alt, parentLayout, handlers) : el('div', 'flex-unknown', '（動画）');
      break;
    }
    default:
      e = el('div', 'flex-unknown', `（表示できない要素：${type ?? '不明'}）`);
  }
  e.dataset.flex = type ?? 'unknown';
  placeIn(e, node, parentLayout);
  const action = type === 'button' ? undefined : asAction(node.action);
  if (action) tappable(e, action, handlers);
  return e;
}

/**
 * flex, gravity and position of a component inside its box.
 * @param {HTMLElement} e
 * @param {Json} node
 * @param {string} parentLayout
 */
function placeIn(e, node, parentLayout) {
  const row = parentLayout !== 'vertical';
  const type = str(node, 'type');
  // LINE: in a horizontal or baseline box a component takes flex 1 unless told; in a vertical one, 0.
  const fallback = row && type !== 'separator' && type !== 'icon' ? 1 : 0;
  const flex = typeof node.flex === 'number' && node.flex >= 0 ? node.flex : type === 'filler' ? 1 : fallback;
  if (row) {
    e.style.flex = flex > 0 ? `${flex} 1 0px` : '0 0 auto';
    e.style.minWidth = '0';
  } else e.style.flex = flex > 0 ? `${flex} 0 auto` : '0 0 auto';
  const gravity = str(node, 'gravity');
  if (row && parentLayout === 'horizontal' && gravity)
    e.style.alignSelf = gravity === 'bottom' ? 'flex-end' : gravity === 'center' ? 'center' : 'flex-start';
  if (str(node, 'position') === 'absolute') {
    e.style.position = 'absolute';
    e.style.top = length(str(node, 'offsetTop'), SPACING) ?? '';
    e.style.bottom = length(str(node, 'offsetBottom'), SPACING) ?? '';
    e.style.insetInlineStart = length(str(node, 'offsetStart'), SPACING) ?? '';
    e.style.insetInlineEnd = length(str(node, 'offsetEnd'), SPACING) ?? '';
  } else {
    e.style.position = 'relative';
    e.style.top = length(str(node, 'offsetTop'), SPACING) ?? '';
    e.style.insetInlineStart = length(str(node, 'offsetStart'), SPACING) ?? '';
  }
}

/**
 * @param {Json} node
 * @param {Handlers} handlers
 * @returns {HTMLElement}
 */
function renderBox(node, handlers) {
  const layout = str(node, 'layout') ?? 'vertical';
  const box = el(
    'div',
    `flex-box flex-${layout === 'vertical' ? 'vertical' : layout === 'baseline' ? 'baseline' : 'horizontal'}`,
  );
  const s = box.style;
  const bg = color(str(node, 'backgroundColor'));
  if (bg) s.backgroundColor = bg;
  const border = length(str(node, 'borderWidth'), BORDER_WIDTH);
  if (border) s.border = `${border} solid ${color(str(node, 'borderColor')) ?? '#000000'}`;
  const radius = length(str(node, 'cornerRadius'), SPACING);
  if (radius) s.borderRadius = radius;
  s.width = length(str(node, 'width'), {}) ?? '';
  s.maxWidth = length(str(node, 'maxWidth'), {}) ?? '';
  s.height = length(str(node, 'height'), {}) ?? '';
  s.maxHeight = length(str(node, 'maxHeight'), {}) ?? '';
  const all = length(str(node, 'paddingAll'), SPACING);
  s.paddingTop = length(str(node, 'paddingTop'), SPACING) ?? all ?? '';
  s.paddingBottom = length(str(node, 'paddingBottom'), SPACING) ?? all ?? '';
  s.paddingInlineStart = length(str(node, 'paddingStart'), SPACING) ?? all ?? '';
  s.paddingInlineEnd = length(str(node, 'paddingEnd'), SPACING) ?? all ?? '';
  // paddingInline* does not count as left/right for the block default; mirror it there too.
  if (s.paddingInlineStart) s.paddingLeft = s.paddingInlineStart;
  if (s.paddingInlineEnd) s.paddingRight = s.paddingInlineEnd;
  const justify = str(node, 'justifyContent');
  if (justify && /^(flex-start|center|flex-end|space-between|space-around|space-evenly)$/.test(justify))
    s.justifyContent = justify;
  const align = str(node, 'alignItems');
  if (align && /^(flex-start|center|flex-end)$/.test(align)) s.alignItems = align;

  const spacing = length(str(node, 'spacing'), SPACING);
  const vertical = layout === 'vertical';
  list(node, 'contents').forEach((child, i) => {
    const c = renderComponent(child, layout, handlers);
    // margin: space before this component; otherwise the box's spacing between components.
    const gap = length(str(child, 'margin'), SPACING) ?? (i > 0 ? spacing : undefined);
    if (gap && str(child, 'position') !== 'absolute') {
      if (vertical) c.style.marginTop = gap;
      else c.style.marginInlineStart = gap;
    }
    box.append(c);
  });
  return box;
}

/**
 * @param {Json} node
 * @returns {HTMLElement}
 */
function renderText(node) {
  const t = el('div', 'flex-text');
  const s = t.style;
  textStyle(t, node);
  const align = str(node, 'align');
  if (align === 'center' || align === 'end' || align === 'start') s.textAlign = align;
  const wrap = node.wrap === true;
  t.classList.add(wrap ? 'flex-wrap' : 'flex-nowrap');
  const maxLines = typeof node.maxLines === 'number' ? node.maxLines : 0;
  if (wrap && maxLines > 0) {
    t.classList.add('flex-clamp');
    s.setProperty('-webkit-line-clamp', String(maxLines));
  }
  const spacing = length(str(node, 'lineSpacing'), {});
  if (spacing) s.lineHeight = `calc(1.4em + ${spacing})`;
  const spans = list(node, 'contents');
  if (spans.length) {
    for (const sp of spans) {
      if (str(sp, 'type') !== 'span') continue;
      const span = el('span', 'flex-span', str(sp, 'text') ?? '');
      textStyle(span, sp);
      t.append(span);
    }
  } else t.textContent = str(node, 'text') ?? '';
  return t;
}

/**
 * size, weight, color, style and decoration of a text or a span.
 * @param {HTMLElement} e
 * @param {Json} node
 */
function textStyle(e, node) {
  const s = e.style;
  const size = length(str(node, 'size'), TEXT_SIZE);
  if (size) s.fontSize = size;
  if (str(node, 'weight') === 'bold') s.fontWeight = '700';
  const c = color(str(node, 'color'));
  if (c) s.color = c;
  if (str(node, 'style') === 'italic') s.fontStyle = 'italic';
  const decoration = str(node, 'decoration');
  if (decoration === 'underline' || decoration === 'line-through') s.textDecoration = decoration;
}

/**
 * @param {Json} node
 * @param {Handlers} handlers
 * @returns {HTMLElement}
 */
function renderButton(node, handlers) {
  const action = asAction(node.action);
  const style = str(node, 'style') ?? 'link';
  const label = action?.label ?? '';
  const href = action?.type === 'uri' ? safeUri(action.uri) : undefined;
  /** @type {HTMLElement} */
  let b;
  if (href) {
    const a = /** @type {HTMLAnchorElement} */ (el('a', 'flex-button', label));
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    b = a;
  } else {
    const button = /** @type {HTMLButtonElement} */ (el('button', 'flex-button', label));
    button.type = 'button';
    if (action && (action.type === 'postback' || action.type === 'message'))
      button.addEventListener('click', () => handlers.onAction(action));
    else {
      button.disabled = true;
      button.title = 'シミュレーターでは使えない操作です';
    }
    b = button;
  }
  b.classList.add(`flex-button-${style === 'primary' || style === 'secondary' ? style : 'link'}`);
  const c = color(str(node, 'color'));
  if (c && style === 'link') b.style.color = c;
  else if (c) b.style.backgroundColor = c;
  const height = str(node, 'height') === 'sm' ? BUTTON_HEIGHT.sm : BUTTON_HEIGHT.md;
  b.style.minHeight = `${height}px`;
  if (action?.type) b.dataset.action = action.type;
  return b;
}

/**
 * @param {Json} node
 * @returns {HTMLElement}
 */
function renderImage(node) {
  const wrap = el('div', 'flex-image');
  const align = str(node, 'align') ?? 'center';
  wrap.style.justifyContent = align === 'start' ? 'flex-start' : align === 'end' ? 'flex-end' : 'center';
  const size = str(node, 'size') ?? 'md';
  const width = size === 'full' ? '100%' : (length(size, IMAGE_SIZE) ?? '100px');
  const ratio = /^(\d+(\.\d+)?):(\d+(\.\d+)?)$/.exec(str(node, 'aspectRatio') ?? '1:1');
  const url = safeUri(str(node, 'url'));
  const box = url?.startsWith('https://')
    ? /** @type {HTMLImageElement} */ (el('img', 'flex-image-img'))
    : el('div', 'flex-image-missing', '画像');
  if (box instanceof HTMLImageElement && url) {
    box.src = url;
    box.alt = '';
  }
  box.style.width = width;
  box.style.maxWidth = '100%';
  box.style.aspectRatio = ratio ? `${ratio[1]} / ${ratio[3]}` : '1 / 1';
  box.style.objectFit = str(node, 'aspectMode') === 'cover' ? 'cover' : 'contain';
  const bg = color(str(node, 'backgroundColor'));
  if (bg) box.style.backgroundColor = bg;
  wrap.append(box);
  return wrap;
}

/**
 * @param {Json} node
 * @returns {HTMLElement}
 */
function renderIcon(node) {
  const url = safeUri(str(node, 'url'));
  const size = length(str(node, 'size') ?? 'md', TEXT_SIZE) ?? '16px';
  const icon = url?.startsWith('https://')
    ? /** @type {HTMLImageElement} */ (el('img', 'flex-icon'))
    : el('span', 'flex-icon flex-icon-missing');
  if (icon instanceof HTMLImageElement && url) {
    icon.src = url;
    icon.alt = '';
  }
  icon.style.height = size;
  const ratio = /^(\d+(\.\d+)?):(\d+(\.\d+)?)$/.exec(str(node, 'aspectRatio') ?? '1:1');
  icon.style.aspectRatio = ratio ? `${ratio[1]} / ${ratio[3]}` : '1 / 1';
  return icon;
}

/**
 * A box, text or image with an action: a button for the keyboard and for screen readers too.
 * @param {HTMLElement} e
 * @param {Action} action
 * @param {Handlers} handlers
 */
function tappable(e, action, handlers) {
  e.classList.add('flex-tappable');
  e.tabIndex = 0;
  e.setAttribute('role', action.type === 'uri' ? 'link' : 'button');
  if (action.label) e.setAttribute('aria-label', action.label);
  const go = () => {
    if (action.type === 'uri') {
      const href = safeUri(action.uri);
      if (href) window.open(href, '_blank', 'noopener,noreferrer');
    } else handlers.onAction(action);
  };
  e.addEventListener('click', (ev) => {
    ev.stopPropagation();
    go();
  });
  e.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      ev.stopPropagation();
      go();
    }
  });
}
