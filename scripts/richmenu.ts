// npm run richmenu -- [--image FILE] [--dry-run] [--out FILE]
// Creates or replaces the bot's default rich menu from rules/richmenu.yaml (see src/richmenu/).
//   --image FILE  upload this PNG/JPEG instead of the picture drawn from the definition
//   --dry-run     check everything and print the rich menu object; send nothing (no token needed)
//   --out FILE    also write the picture to FILE, to look at it
// Needs LINE_CHANNEL_ACCESS_TOKEN; LINE_API_BASE_URL and LINE_DATA_API_BASE_URL as for the server.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRichMenu, richMenuRequest } from '../src/richmenu/definition.ts';
import { checkMenuImage, renderMenuImage } from '../src/richmenu/image.ts';
import { publishRichMenu } from '../src/richmenu/publish.ts';

function fail(message: string, code = 1): never {
  process.stderr.write(`richmenu: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      image: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\nusage: npm run richmenu -- [--image FILE] [--dry-run] [--out FILE]`, 2);
}

try {
  const def = loadRichMenu();
  const image = args.image ? await checkMenuImage(def, readFileSync(args.image)) : await renderMenuImage(def);
  if (args.out) writeFileSync(args.out, image.bytes);
  if (args['dry-run']) {
    process.stdout.write(`${JSON.stringify(richMenuRequest(def), null, 2)}\n`);
    process.stderr.write(
      `richmenu: dry run: picture ${image.type}, ${image.bytes.length} bytes; nothing sent\n`,
    );
    process.exit(0);
  }
  const token = process.env.LINE_CHANNEL_ACCESS_TOKEN;
  if (!token)
    fail('set LINE_CHANNEL_ACCESS_TOKEN (the channel access token of the Messaging API channel)', 2);
  const done = await publishRichMenu(def, image, {
    channelAccessToken: token,
    apiBaseUrl: process.env.LINE_API_BASE_URL || 'https://api.line.me',
    dataApiBaseUrl: process.env.LINE_DATA_API_BASE_URL || 'https://api-data.line.me',
    say: (line) => process.stderr.write(`richmenu: ${line}\n`),
  });
  process.stdout.write(`${done.richMenuId}\n`);
} catch (err) {
  fail((err as Error).message);
}
