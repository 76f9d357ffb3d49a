/**
 * The `credledger` command, loaded by main.ts once the Node version is known to be new enough (and
 * Node's compile cache is on). Its static imports are every module a start loads: the bundle puts them
 * in one file (cli/scripts/bundle.mjs, decision 0043).
 * Start-up loads only commander and the commands' wiring (commands/*.ts): each command's action
 * (actions/*.ts), and with it the sdk (Fabric, fabric-shim, LevelDB, QR codecs), loads when that
 * command runs (action.ts, decision 0039), and the error report only for an error, so `credledger
 * --help` starts in tens of milliseconds. What commander writes goes straight to the descriptors, and a
 * command's options are wired when it is named (decision 0043): `--help` makes no output stream and
 * builds only what the program's help lists.
 */
import { buildProgram, ExitRequest } from './program.js';
import { langFromArgv } from './i18n.js';
import { descriptorOutput } from './descriptor-output.js';
import { guardOutputStreams } from './reader-gone.js';

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const json = argv.includes('--json');
const lang = langFromArgv(argv);

try {
  await buildProgram(lang, { output: descriptorOutput() }).parseAsync(process.argv);
} catch (error) {
  // Help and version end here; setting exitCode (not process.exit) lets piped stdout flush.
  if (error instanceof ExitRequest) process.exitCode = error.exitCode;
  else {
    // The error report (every code's sentence in both languages) loads only for an error, and writes
    // through the streams, which drop the rest of their output if the reader has gone.
    guardOutputStreams();
    const { reportError } = await import('./context.js');
    process.exitCode = reportError(error, { debug, json, ...(lang === undefined ? {} : { lang }) });
  }
}
