// Next's standalone output holds the server and the modules it traces but not the static assets,
// which a CDN may serve instead. The image copies them next to server.js itself; doing the same
// here lets `npm start` run the very server the image runs, from .next/standalone.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const server = path.join(app, '.next', 'standalone', 'frontend');
if (!existsSync(path.join(server, 'server.js'))) {
  console.error(`No standalone server at ${server}: is output: 'standalone' set in next.config.ts?`);
  process.exit(1);
}
cpSync(path.join(app, '.next', 'static'), path.join(server, '.next', 'static'), { recursive: true });
mkdirSync(path.join(app, 'public'), { recursive: true });
cpSync(path.join(app, 'public'), path.join(server, 'public'), { recursive: true });
