#!/usr/bin/env node
// The `credledger` command as npm links it. A committed file, not the built dist/credledger.js, so that `npm ci` in a
// fresh checkout links it before anything is built (npm links no bin whose file is missing, and
// `npx credledger` would then look for a package of that name on the registry). Loadable by any Node:
// dist/credledger.js (the bundle of dist/main.js) says in one line when this Node is too old.
import('../dist/credledger.js').catch(function (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).indexOf('dist/credledger.js') >= 0) {
    process.stderr.write('error NOT_BUILT: credledger is not built yet; run `npm run build` at the repository root\n');
    process.exitCode = 2;
    return;
  }
  process.stderr.write((error && error.stack) || String(error));
  process.stderr.write('\n');
  process.exitCode = 70;
});
