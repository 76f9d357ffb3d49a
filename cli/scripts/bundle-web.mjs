#!/usr/bin/env node
// `npm pack` of the credledger package: the built verifier page goes into the tarball as `web/`, so
// `credledger serve` installed from npm serves the page too (the checkout serves ../verifier-web/dist).
// `prepack` copies it, `postpack` removes the copy again so the checkout keeps one page.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const page = fileURLToPath(new URL('../../verifier-web/dist', import.meta.url));
const copy = fileURLToPath(new URL('../web', import.meta.url));

if (process.argv[2] === 'remove') {
  rmSync(copy, { recursive: true, force: true });
} else {
  if (!existsSync(page)) {
    console.error(`error: ${page} does not exist; run \`npm run build\` at the repository root first`);
    process.exit(1);
  }
  rmSync(copy, { recursive: true, force: true });
  cpSync(page, copy, { recursive: true });
}
