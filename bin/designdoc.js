#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ and bundled into dist/bundle/ by `npm run build`
// (run on `npm install`; see scripts/bundle-cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('designdoc: not built yet. Run `npm install` (or `npm run build`) first.\n');
  process.exit(2);
}
// A debugging stack trace names the compiled modules rather than lines of the bundle.
if (process.env.DESIGNDOC_DEBUG === '1') process.setSourceMapsEnabled(true);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
