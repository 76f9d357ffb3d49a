/**
 * The command tree. Each `commands/<verb>.ts` adds its commander wiring; nothing here imports the sdk.
 */
import { type Command, type CommanderError, Option } from 'commander';

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

export function buildProgram(langFlag: string | undefined): Command {
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
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true, ...helpIn(t) });

  const wiring: Wiring = { t };
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
  applyErrorHandling(program, t.t('error.usage'));
  return program;
}

/**
 * Commander's own errors (unknown command, missing argument) become our one-line `error USAGE: …`
 * with exit code 2; help and version exit 0. Applied to every command, since commander keeps
 * these settings per command.
 */
function applyErrorHandling(command: Command, usageHint: string): void {
  command.exitOverride((error: CommanderError) => {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    ) {
      throw new ExitRequest(0);
    }
    throw new CliError('USAGE', error.message.replace(/^error:\s*/i, ''), usageHint);
  });
  command.configureOutput({
    // Commander prints its own "error: …" line before exitOverride; ours replaces it.
    outputError: () => undefined,
  });
  for (const sub of command.commands) applyErrorHandling(sub, usageHint);
}

/** Thrown to end the program with a plain exit code and no error report (help, version). */
export class ExitRequest extends Error {
  override readonly name = 'ExitRequest';
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
