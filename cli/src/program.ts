/**
 * The command tree. Each `commands/<verb>.ts` adds its commander wiring; nothing here imports the sdk.
 * On a start, a command's options, subcommands and help texts are wired when commander looks it up by
 * name, so `credledger --help` builds only what the program's help lists (decision 0043).
 */
import { type Command, type CommanderError, Option, type OutputConfiguration } from 'commander';

import { CredledgerCommand, helpIn } from './command.js';
import { CliError } from './cli-error.js';
import { i18n, resolveLang } from './i18n.js';
import { examples, type Wiring } from './wiring.js';
import { registerDemo } from './commands/demo.js';
import { registerDocument } from './commands/document.js';
import { registerHistory } from './commands/history.js';
import { registerInit } from './commands/init.js';
import { registerIssue } from './commands/issue.js';
import { registerOffer } from './commands/offer.js';
import { registerIssueBatch } from './commands/issue-batch.js';
import { registerIssuer } from './commands/issuer.js';
import { registerLedger } from './commands/ledger.js';
import { registerQrBatch } from './commands/qr-batch.js';
import { registerReinstate } from './commands/reinstate.js';
import { registerRevoke } from './commands/revoke.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerStatusList } from './commands/status-list.js';
import { registerSubscriptions } from './commands/subscriptions.js';
import { registerSuspend } from './commands/suspend.js';
import { registerTrustList } from './commands/trust-list.js';
import { registerTypes } from './commands/types.js';
import { registerVerify } from './commands/verify.js';
import { registerWatch } from './commands/watch.js';

const version = '0.1.0';

/** How `buildProgram` builds the tree. */
export interface ProgramSettings {
  /**
   * commander's output settings: start.ts's write to the descriptors (descriptor-output.ts); by default
   * commander's own, through `process.stdout` and `process.stderr`.
   */
  readonly output?: OutputConfiguration;
  /**
   * Every command wired whole at once, as tests that walk the tree need; by default the rest of a
   * command's wiring waits until commander looks the command up by name (Wiring.later).
   */
  readonly whole?: boolean;
}

export function buildProgram(langFlag: string | undefined, settings: ProgramSettings = {}): Command {
  const t = i18n(resolveLang(langFlag));
  const program = new CredledgerCommand('credledger')
    .description(t.t('program.description'))
    .version(version, '-V, --version', t.t('opt.version'))
    // Set before the commands are added: each inherits the help option and help command.
    .helpOption('-h, --help', t.t('opt.help'))
    .helpCommand('help [command]', t.t('opt.helpCommand'))
    .option('--json', t.t('opt.json'))
    .addOption(new Option('--lang <lang>', t.t('opt.lang')).choices(['zh-TW', 'en']))
    .option('--debug', t.t('opt.debug'))
    .option('-w, --workspace <dir>', t.t('opt.workspace'))
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true, ...helpIn(t) })
    // Commander prints its own "error: …" line before exitOverride; ours (CliError) replaces it.
    .configureOutput({ ...settings.output, outputError: () => undefined })
    .exitOverride(exitOnRequest(t.t('error.usage')));

  const later: Wiring['later'] =
    settings.whole === true
      ? (_command, _options, wire) => {
          wire();
        }
      : (command, { options }, wire) => {
          if (command instanceof CredledgerCommand) command.wireWhenNamed(options, wire);
          else wire();
        };
  const wiring: Wiring = { t, later };
  registerDemo(program, wiring);
  registerInit(program, wiring);
  registerTypes(program, wiring);
  registerIssuer(program, wiring);
  registerIssue(program, wiring);
  registerIssueBatch(program, wiring);
  registerQrBatch(program, wiring);
  registerDocument(program, wiring);
  registerOffer(program, wiring);
  registerRevoke(program, wiring);
  registerSuspend(program, wiring);
  registerReinstate(program, wiring);
  registerStatus(program, wiring);
  registerHistory(program, wiring);
  registerVerify(program, wiring);
  registerStatusList(program, wiring);
  registerTrustList(program, wiring);
  registerLedger(program, wiring);
  registerServe(program, wiring);
  registerWatch(program, wiring);
  registerSubscriptions(program, wiring);

  examples(program, t, [
    'credledger demo',
    'credledger init && credledger issuer list',
    'credledger verify licence.png',
  ]);
  return program;
}

/**
 * Commander's own errors (unknown command, missing argument) become our one-line `error USAGE: …`
 * with exit code 2; help and version exit 0. Set on the program before its commands are added, so that
 * each command commander creates under it copies it, with the output settings.
 */
function exitOnRequest(usageHint: string): (error: CommanderError) => never {
  return (error) => {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    ) {
      throw new ExitRequest(0);
    }
    throw new CliError('USAGE', error.message.replace(/^error:\s*/i, ''), usageHint);
  };
}

/** Thrown to end the program with a plain exit code and no error report (help, version). */
export class ExitRequest extends Error {
  override readonly name = 'ExitRequest';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
