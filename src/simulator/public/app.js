// @ts-check
// The simulator page: a LINE-like chat with the real bot. Every action (a message, a screenshot or a
// file, a tap on a button or a quick reply, 友だち追加, リセット) is posted to /simulator/events, which
// runs it through the bot as a LINE webhook event and answers with the very message objects the bot
// would send to LINE; ./flex.js draws them. Text only ever goes into the page as textContent.
import { asAction, el, isObject, renderMessage, safeUri } from './flex.js';

/** @typedef {import('./flex.js').Json} Json */
/** @typedef {import('./flex.js').Action} Action */

const ENDPOINT = '/simulator/events';
const BOT_NAME = 'サギチェック';
const AVATAR = '/simulator/avatar.svg';
const UPLOAD_BYTES = Number(document.documentElement.dataset.uploadBytes) || 8 * 1024 * 1024;
/** As a person may send in one LINE message. */
const MAX_TEXT = 10_000;
/** Sent as a picture (LINE's image message); every other file goes as a file message. */
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|bmp)$/;

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T }} kind
 * @returns {T}
 */
function byId(id, kind) {
  const e = document.getElementById(id);
  if (!(e instanceof kind)) throw new Error(`#${id} is missing`);
  return e;
}

const chat = byId('chat', HTMLElement);
const list = byId('messages', HTMLOListElement);
const welcome = byId('welcome', HTMLElement);
const followButton = byId('follow', HTMLButtonElement);
const resetButton = byId('reset', HTMLButtonElement);
const jsonToggle = byId('json-toggle', HTMLButtonElement);
const chips = byId('quick-replies', HTMLDivElement);
const form = byId('composer', HTMLFormElement);
const input = byId('input', HTMLTextAreaElement);
const fileInput = byId('file', HTMLInputElement);
const attach = byId('attach', HTMLButtonElement);
const richMenu = byId('richmenu', HTMLElement);
const richMenuAreas = byId('richmenu-areas', HTMLDivElement);
const richMenuBar = byId('richmenu-bar', HTMLButtonElement);

/** The bot's "…" while an answer is on its way, as LINE's loading animation. */
const typing = el('div', 'row row-bot typing');
typing.hidden = true;
typing.setAttribute('role', 'status');
{
  const avatar = el('div', 'avatar-slot');
  avatar.append(avatarImage());
  const dots = el('div', 'bubble typing-dots');
  dots.append(
    el('span'),
    el('span'),
    el('span'),
    el('span', 'visually-hidden', `${BOT_NAME}が返信しています`),
  );
  typing.append(avatar, dots);
  chat.append(typing);
}

let followed = false;
/** One request at a time: answers appear in the order things were sent, as in a LINE chat. */
let queue = Promise.resolve();
let waiting = 0;
/** Picture previews shown in the chat, released on reset. */
const previews = new Set();

/** @type {import('./flex.js').Handlers} */
const handlers = { onAction };

function avatarImage() {
  const img = /** @type {HTMLImageElement} */ (el('img', 'avatar'));
  img.src = AVATAR;
  img.alt = '';
  img.width = 36;
  img.height = 36;
  return img;
}

function now() {
  const d = new Date();
  return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function scrollDown() {
  chat.scrollTop = chat.scrollHeight;
}

/**
 * The time under a bubble; for the person's own messages also 既読 once the bot has answered.
 * @param {boolean} mine
 */
function meta(mine) {
  const m = el('div', 'meta');
  if (mine) m.append(el('span', 'read'));
  const t = el('time', 'time', now());
  t.setAttribute('datetime', new Date().toISOString());
  m.append(t);
  return m;
}

/**
 * The person's message on the right, in green.
 * @param {HTMLElement} content
 */
function addMine(content) {
  const row = el('li', 'row row-user');
  row.append(el('span', 'visually-hidden', 'あなた：'), meta(true), content);
  list.append(row);
  scrollDown();
  return row;
}

/** @param {HTMLElement} row */
function markRead(row) {
  const read = row.querySelector('.read');
  if (read) read.textContent = '既読';
}

/**
 * The bot's messages on the left: avatar and name once, then each message with its time; the JSON
 * that LINE would get (shown with the JSON button); the quick replies of the last one.
 * @param {Json[]} messages
 */
function addBot(messages) {
  /** @type {HTMLElement | undefined} */
  let first;
  messages.forEach((m, i) => {
    const row = el('li', 'row row-bot');
    const slot = el('div', 'avatar-slot');
    if (i === 0) slot.append(avatarImage());
    const col = el('div', 'col');
    col.append(el('div', i === 0 ? 'name' : 'name visually-hidden', BOT_NAME));
    const line = el('div', 'line');
    line.append(renderMessage(m, handlers), meta(false));
    col.append(line);
    row.append(slot, col);
    list.append(row);
    first ??= row;
  });
  const json = el('li', 'json-row');
  const details = el('details', 'json');
  details.append(
    el('summary', undefined, 'LINEに送られるメッセージ（JSON）'),
    el('pre', undefined, JSON.stringify(messages, null, 2)),
  );
  json.append(details);
  list.append(json);
  setQuickReplies(messages.at(-1));
  // A long answer is read from its start (the verdict card's header), a short one at the bottom.
  if (first && chat.scrollHeight - first.offsetTop > chat.clientHeight) chat.scrollTop = first.offsetTop - 8;
  else scrollDown();
}

/**
 * A line in the middle of the chat: what happened, or what went wrong.
 * @param {string} text
 * @param {boolean} [error]
 */
function notice(text, error = false) {
  const n = el('li', error ? 'notice notice-error' : 'notice');
  n.append(el('span', undefined, text));
  list.append(n);
  scrollDown();
}

/**
 * The quick-reply chips of the chat's last message, above the input as LINE shows them.
 * @param {Json | undefined} message
 */
function setQuickReplies(message) {
  const hadFocus = chips.contains(document.activeElement);
  chips.replaceChildren();
  const qr = message && isObject(message.quickReply) ? message.quickReply : undefined;
  const items = qr && Array.isArray(qr.items) ? qr.items.filter(isObject) : [];
  for (const item of items) {
    const action = asAction(item.action);
    if (!action) continue;
    const chip = /** @type {HTMLButtonElement} */ (el('button', 'chip', action.label ?? ''));
    chip.type = 'button';
    chip.dataset.action = action.type;
    chip.addEventListener('click', () => {
      onAction(action);
      input.focus();
    });
    chips.append(chip);
  }
  chips.hidden = chips.childElementCount === 0;
  // Every answer starts with its first chip in view: the row keeps no scroll from the last answer.
  chips.scrollLeft = 0;
  if (hadFocus && chips.hidden) input.focus();
}

/**
 * The rich menu under the chat, as LINE shows it: the picture `npm run richmenu` uploads, with a
 * button over each area sending that area's action (the same definition, from /simulator/richmenu.json).
 */
async function loadRichMenu() {
  const res = await fetch('/simulator/richmenu.json');
  const menu = /** @type {unknown} */ (await res.json());
  if (!isObject(menu) || !Array.isArray(menu.areas)) return;
  const width = Number(menu.width);
  const height = Number(menu.height);
  for (const area of menu.areas.filter(isObject)) {
    const action = asAction(area.action);
    const b = isObject(area.bounds) ? area.bounds : undefined;
    if (!action || !b) continue;
    const button = /** @type {HTMLButtonElement} */ (el('button', 'richmenu-area'));
    button.type = 'button';
    button.setAttribute('aria-label', action.label ?? '');
    button.style.left = `${(Number(b.x) / width) * 100}%`;
    button.style.top = `${(Number(b.y) / height) * 100}%`;
    button.style.width = `${(Number(b.width) / width) * 100}%`;
    button.style.height = `${(Number(b.height) / height) * 100}%`;
    const openKeyboard = isObject(area.action) && area.action.inputOption === 'openKeyboard';
    button.addEventListener('click', () => {
      onAction(action);
      // LINE closes the menu and opens the keyboard for this one, so the person can paste at once.
      if (openKeyboard) {
        showRichMenu(false);
        input.focus();
      }
    });
    richMenuAreas.append(button);
  }
  if (typeof menu.chatBarText === 'string') richMenuBar.textContent = `${menu.chatBarText} ▾`;
  richMenuBar.hidden = false;
  showRichMenu(true);
}

/** @param {boolean} open */
function showRichMenu(open) {
  richMenu.hidden = !open;
  richMenuBar.setAttribute('aria-expanded', String(open));
}

richMenuBar.addEventListener('click', () =>
  showRichMenu(richMenuBar.getAttribute('aria-expanded') !== 'true'),
);
// As in LINE, typing closes the menu; the bar opens it again.
input.addEventListener('focus', () => showRichMenu(false));
void loadRichMenu().catch(() => notice('リッチメニューを読み込めませんでした。', true));

/**
 * A tap on a button or a chip. A postback shows its displayText as the person's message (LINE does
 * the same) and sends the postback; a message action sends its text as the person's message.
 * @param {Action} action
 */
function onAction(action) {
  if (action.type === 'postback' && action.data) {
    send({ type: 'postback', data: action.data }, action.displayText ? textBubble(action.displayText) : null);
  } else if (action.type === 'message' && action.text) {
    send({ type: 'text', text: action.text }, textBubble(action.text));
  } else if (action.type === 'uri' && safeUri(action.uri)) {
    window.open(safeUri(action.uri), '_blank', 'noopener,noreferrer');
  } else if (action.type === 'camera' || action.type === 'cameraRoll') {
    fileInput.click();
  } else notice('この操作はシミュレーターでは使えません。', true);
}

/** @param {string} text */
function textBubble(text) {
  return el('div', 'bubble bubble-text bubble-mine', text);
}

/**
 * Posts one action and shows the answer once the ones before it are shown.
 * @param {Json} body
 * @param {HTMLElement | null} shown the person's bubble (none for follow, unfollow, a silent postback)
 */
function send(body, shown) {
  setQuickReplies(undefined);
  const row = shown ? addMine(shown) : null;
  waiting++;
  typing.hidden = false;
  scrollDown();
  const run = async () => {
    try {
      const messages = await post(body);
      if (row) markRead(row);
      if (messages.length) addBot(messages);
    } catch (err) {
      notice(err instanceof Error ? err.message : String(err), true);
    } finally {
      if (--waiting === 0) typing.hidden = true;
    }
  };
  queue = queue.then(run, run);
  return queue;
}

/**
 * @param {Json} body
 * @returns {Promise<Json[]>}
 */
async function post(body) {
  let res;
  try {
    res = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error('サーバーにつながりませんでした。npm start が動いているか確かめてください。');
  }
  if (!res.ok) throw new Error(problem(res.status));
  const json = /** @type {unknown} */ (await res.json());
  if (!isObject(json) || !Array.isArray(json.messages)) throw new Error('サーバーの答えが読めませんでした。');
  return json.messages.filter(isObject);
}

/** @param {number} status */
function problem(status) {
  if (status === 413) return `ファイルが大きすぎます（${megabytes(UPLOAD_BYTES)}MBまで送れます）。`;
  if (status === 429) return '送信が多すぎます。1分ほど待ってから送ってください。';
  if (status === 503) return 'いま混み合っています。少し待ってから送ってください。';
  return `送れませんでした（エラー ${status}）。`;
}

/** @param {number} bytes */
function megabytes(bytes) {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function sendText() {
  const text = input.value;
  if (text.trim() === '') return;
  if (text.length > MAX_TEXT) {
    notice(`1回に送れるのは${MAX_TEXT.toLocaleString('ja-JP')}文字までです。`, true);
    return;
  }
  input.value = '';
  fitInput();
  send({ type: 'text', text }, textBubble(text));
}

/** @param {File} file */
async function sendFile(file) {
  if (file.size > UPLOAD_BYTES) {
    notice(`ファイルが大きすぎます（${megabytes(UPLOAD_BYTES)}MBまで送れます）。`, true);
    return;
  }
  if (file.size === 0) {
    notice('空のファイルは送れません。', true);
    return;
  }
  const data = await base64(file);
  const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? { contentType: file.type } : {};
  if (IMAGE_TYPES.test(file.type)) send({ type: 'image', data, ...contentType }, imageBubble(file));
  else send({ type: 'file', fileName: file.name || 'file', data, ...contentType }, fileBubble(file));
}

/**
 * @param {File} file
 * @returns {Promise<string>}
 */
function base64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('ファイルを読めませんでした。'));
    r.readAsDataURL(file);
  });
}

/** @param {File} file */
function imageBubble(file) {
  const img = /** @type {HTMLImageElement} */ (el('img', 'sent-image'));
  const url = URL.createObjectURL(file);
  previews.add(url);
  img.src = url;
  img.alt = `送った画像：${file.name}`;
  return img;
}

/** @param {File} file */
function fileBubble(file) {
  const b = el('div', 'bubble bubble-file');
  const ext = /\.([a-z0-9]{1,4})$/i.exec(file.name)?.[1]?.toUpperCase() ?? 'FILE';
  const info = el('div', 'file-info');
  info.append(el('span', 'file-name', file.name), el('span', 'file-size', size(file.size)));
  b.append(el('span', 'file-icon', ext), info);
  return b;
}

/** @param {number} bytes */
function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${megabytes(bytes)} MB`;
}

function fitInput() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
}

function follow() {
  if (!followed) {
    followed = true;
    welcome.hidden = true;
    notice(`${BOT_NAME}を友だち追加しました`);
    send({ type: 'follow' }, null);
  }
  input.focus();
}

/** As blocking the account and adding it again: the bot forgets the chat, then greets anew. */
function reset() {
  list.replaceChildren();
  for (const url of previews) URL.revokeObjectURL(url);
  previews.clear();
  notice('会話をリセットしました（ブロックして、友だち追加し直しました）');
  send({ type: 'unfollow' }, null);
  followed = true;
  welcome.hidden = true;
  send({ type: 'follow' }, null);
  input.focus();
}

followButton.addEventListener('click', follow);
resetButton.addEventListener('click', reset);
jsonToggle.addEventListener('click', () => {
  const on = jsonToggle.getAttribute('aria-pressed') !== 'true';
  jsonToggle.setAttribute('aria-pressed', String(on));
  document.body.classList.toggle('show-json', on);
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  sendText();
  input.focus();
});
input.addEventListener('keydown', (e) => {
  // Enter sends; Shift+Enter is a new line; Enter that ends a Japanese conversion is not a send.
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    sendText();
  }
});
input.addEventListener('input', fitInput);
input.addEventListener('paste', (e) => {
  const file = e.clipboardData?.files[0];
  if (file) {
    e.preventDefault();
    void sendFile(file);
  }
});
attach.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  fileInput.value = '';
  if (file) void sendFile(file);
  input.focus();
});
chat.addEventListener('dragover', (e) => e.preventDefault());
chat.addEventListener('drop', (e) => {
  const file = e.dataTransfer?.files[0];
  if (file) {
    e.preventDefault();
    void sendFile(file);
  }
});
