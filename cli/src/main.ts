#!/usr/bin/env node
/**
 * The `credledger` entry point: it checks that this Node.js can run credledger, then loads the program
 * (start.ts). Keep this file loadable by old Node — no static imports, no top-level await, no syntax
 * newer than ES2017 — so an operator on an old Node reads one line saying what to install instead of a
 * SyntaxError from deep inside a module.
 */

// The oldest Node.js credledger runs on: `engines.node` in package.json (cli/test/old-node.test.ts
// checks that they agree).
const needMajor = 22;
const needMinor = 12;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

if (major > needMajor || (major === needMajor && minor >= needMinor)) {
  // Node's on-disk compile cache halves the parse cost of later starts; it must be on before the
  // program's modules load. It never throws: with no usable cache directory it is just off.
  process.getBuiltinModule('node:module').enableCompileCache();
  // The program's modules load only now, on a Node that can parse them.
  import('./start.js').catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error && error.stack !== undefined ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  });
} else {
  // The CLI's language rule (i18n.ts: --lang, then LC_ALL, LC_MESSAGES, LANG), restated because
  // that module cannot load here.
  const args = process.argv.slice(2);
  const at = args.indexOf('--lang');
  const inline = args.find((arg) => arg.startsWith('--lang='));
  const env = process.env;
  let lang = '';
  for (const value of [env.LANG, env.LC_MESSAGES, env.LC_ALL]) if (value !== undefined) lang = value;
  if (at >= 0) lang = String(args[at + 1]);
  if (inline !== undefined) lang = inline.slice('--lang='.length);
  const need = `${needMajor}.${needMinor}`;
  process.stderr.write(
    /^zh/i.test(lang)
      ? `credledger 需要 Node.js >= ${need}（目前為 ${process.version}）；安裝方式見 README.md「Requirements」\n`
      : `credledger needs Node.js >= ${need} (found ${process.version}); see README.md "Requirements"\n`,
  );
  process.exitCode = 2;
}
