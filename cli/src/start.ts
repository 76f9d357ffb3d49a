/**
 * The `credledger` command, loaded by main.ts once the Node version is known to be new enough.
 * Start-up loads only commander and the commands' wiring (commands/*.ts): each command's action
 * (actions/*.ts), and with it the sdk (Fabric, fabric-shim, LevelDB, QR codecs), loads when that
 * command runs (action.ts, decision 0039), and the error report only for an error, so `credledger
 * --help` starts in tens of milliseconds.
 */
import { enableCompileCache } from 'node:module';

// Node's on-disk compile cache halves the parse cost of later starts; it must be on before the
// program's modules load, hence the dynamic imports below.
enableCompileCache();

// A reader that goes away (`credledger --help | head -1`, a closed terminal) is not an error of ours:
// from then on that stream's output is dropped quietly, and the command finishes its work and exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = () => true;
  });
}

const { buildProgram, ExitRequest } = await import('./program.js');
const { langFromArgv } = await import('./i18n.js');

const argv = process.argv.slice(2);
const debug = argv.includes('--debug');
const json = argv.includes('--json');
const lang = langFromArgv(argv);

try {
  await buildProgram(lang).parseAsync(process.argv);
} catch (error) {
  // Help and version end here; setting exitCode (not process.exit) lets piped stdout flush.
  if (error instanceof ExitRequest) process.exitCode = error.exitCode;
  else {
    // The error report (every code's sentence in both languages) loads only for an error.
    const { reportError } = await import('./context.js');
    process.exitCode = reportError(error, { debug, json, ...(lang === undefined ? {} : { lang }) });
  }
}
