#!/usr/bin/env node
/**
 * The `credledger` command. Start-up loads only commander and the small wiring modules: every command
 * imports the sdk (and with it Fabric, fabric-shim, LevelDB, QR codecs) inside its action, so
 * `credledger --help` starts in tens of milliseconds.
 */
import { enableCompileCache } from 'node:module';

// Node's on-disk compile cache halves the parse cost of later starts; it must be on before the
// program's modules load, hence the dynamic imports below.
enableCompileCache?.();

const { buildProgram, ExitRequest } = await import('./program.js');
const { reportError } = await import('./context.js');
const { langFromArgv } = await import('./i18n.js');

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const json = argv.includes('--json');
const lang = langFromArgv(argv);

try {
  await buildProgram(lang).parseAsync(process.argv);
} catch (error) {
  // Help and version end here; setting exitCode (not process.exit) lets piped stdout flush.
  process.exitCode =
    error instanceof ExitRequest ? error.exitCode : reportError(error, { debug, json, ...(lang === undefined ? {} : { lang }) });
}
