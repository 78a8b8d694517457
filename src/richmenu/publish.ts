// Publishes the rich menu through the Messaging API in an order that never leaves the chat without a
// menu: create the new one, upload its picture (data API), make it the default, and only then delete
// the menus this command made before. A failure before "default" deletes the half-made new menu and
// leaves the old one in place. Menus not made by this command (another name) are never deleted.
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { richMenuRequest, type RichMenuDef } from './definition.ts';
import type { MenuImage } from './image.ts';

export interface PublishOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  /** One line per step, for the person running the command. */
  say?: (line: string) => void;
}

export interface Published {
  richMenuId: string;
  /** The menu that was the default before, if any. */
  previousDefault: string | null;
  deleted: string[];
}

export async function publishRichMenu(
  def: RichMenuDef,
  image: MenuImage,
  o: PublishOptions,
): Promise<Published> {
  const say = o.say ?? (() => {});
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: o.channelAccessToken,
    baseURL: o.apiBaseUrl,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: o.channelAccessToken,
    baseURL: o.dataApiBaseUrl,
  });
  const request = richMenuRequest(def);
  const ours = (name: string) => name.startsWith(`${def.name} `);

  const previousDefault = await defaultMenuId(client);
  const existing = (await client.getRichMenuList()).richmenus ?? [];

  const { richMenuId } = await client.createRichMenu(request);
  say(`created rich menu ${richMenuId} (${request.name})`);
  try {
    await blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image.bytes)], { type: image.type }));
    say(`uploaded its picture (${image.type}, ${image.bytes.length} bytes)`);
    await client.setDefaultRichMenu(richMenuId);
    say('made it the default rich menu for every friend');
  } catch (err) {
    // Without a picture or the default, the new menu is of no use: remove it, keep the old one.
    await client.deleteRichMenu(richMenuId).catch(() => {});
    throw err;
  }

  const stale = new Set(
    existing.filter((m) => ours(m.name) && m.richMenuId !== richMenuId).map((m) => m.richMenuId),
  );
  if (previousDefault && previousDefault !== richMenuId) {
    const prev = existing.find((m) => m.richMenuId === previousDefault);
    if (prev && ours(prev.name)) stale.add(previousDefault);
    else if (!prev || !ours(prev.name))
      say(`the previous default ${previousDefault} was not made by this command: left in place`);
  }
  const deleted: string[] = [];
  for (const id of stale) {
    await client.deleteRichMenu(id);
    deleted.push(id);
    say(`deleted the old rich menu ${id}`);
  }
  return { richMenuId, previousDefault, deleted };
}

async function defaultMenuId(client: messagingApi.MessagingApiClient): Promise<string | null> {
  try {
    return (await client.getDefaultRichMenuId()).richMenuId ?? null;
  } catch (err) {
    // 404: no default rich menu is set yet.
    if (err instanceof HTTPFetchError && err.status === 404) return null;
    throw err;
  }
}
