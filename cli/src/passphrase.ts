/**
 * The passphrases: the issuer key's (CREDLEDGER_KEY_PASSPHRASE) and the ledger identities' keyrings'
 * (CREDLEDGER_IDENTITY_PASSPHRASE[_<MSPID>]), from the environment or a prompt on the terminal that echoes
 * nothing. They are never printed, logged or put in an error message.
 */
import type { IdentityKeyProtection } from '@credledger/ledger';

import { cliError } from './cli-error.js';
import { i18n, langFromArgv, resolveLang } from './i18n.js';

export const passphraseEnv = 'CREDLEDGER_KEY_PASSPHRASE';

/**
 * The issuer key passphrase of one command: CREDLEDGER_KEY_PASSPHRASE, else asked on the terminal, read
 * at most once however many keys the command opens (a status list per issuer, say). The command's
 * context owns one (`createContext`, context.ts), so the passphrase goes with the command and a second
 * command in the same process reads it anew.
 */
export class KeyPassphrase {
  #read: Promise<string> | undefined;

  /** @param prompt what the terminal prompt says (default in the language of the command line) */
  constructor(
    private readonly prompt = i18n(resolveLang(langFromArgv(process.argv.slice(2)))).pick(
      '發行者金鑰密語：',
      'Issuer key passphrase: ',
    ),
  ) {}

  /** The passphrase. Fails: PASSPHRASE_REQUIRED when there is no env var and no terminal, or nothing was entered. */
  read(): Promise<string> {
    // One read for concurrent callers too; a failed one is not kept, so a later call may ask again.
    this.#read ??= readKeyPassphrase(this.prompt).catch((error: unknown) => {
      this.#read = undefined;
      throw error;
    });
    return this.#read;
  }
}

/**
 * Whether a passphrase or PIN may be asked on the terminal (stdin and stderr are terminals). Without one,
 * every secret comes from the environment or the command fails PASSPHRASE_REQUIRED, and never waits.
 */
export function canPrompt(): boolean {
  return process.stdin.isTTY && process.stderr.isTTY;
}

async function readKeyPassphrase(prompt: string): Promise<string> {
  const fromEnv = process.env[passphraseEnv];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw cliError('PASSPHRASE_REQUIRED', 'noTerminal', { env: passphraseEnv });
  }
  const entered = await promptHidden(prompt);
  if (entered === '') throw cliError('PASSPHRASE_REQUIRED', 'empty', {});
  return entered;
}

/** Raw-mode read of one line on the terminal with no echo; Ctrl-C aborts with the usual exit status. */
export function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The passphrase of the ledger identities' keyrings, for every organisation without its own variable. */
export const identityPassphraseEnv = 'CREDLEDGER_IDENTITY_PASSPHRASE';

/** The variable naming one organisation's keyring passphrase: `CREDLEDGER_IDENTITY_PASSPHRASE_NDCMSP`. */
export function identityPassphraseEnvOf(mspId: string): string {
  return `${identityPassphraseEnv}_${mspId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Where the embedded ledger's organisation keyrings get their passphrases (docs/decisions/0020): the
 * organisation's own variable, then CREDLEDGER_IDENTITY_PASSPHRASE, then a prompt on the terminal that
 * names the organisation (a new passphrase is asked twice). Never printed, logged or put in an error.
 * `fixed` answers every organisation (the demo's throwaway ledger) when the environment gives nothing.
 * Fails: PASSPHRASE_REQUIRED (no variable and no terminal, an empty entry, two entries that differ).
 */
export function identityKeys(
  options: { readonly scryptLogN?: number; readonly fixed?: string } = {},
): IdentityKeyProtection {
  const strings = i18n(resolveLang(langFromArgv(process.argv.slice(2))));
  return {
    ...(options.scryptLogN === undefined ? {} : { scryptLogN: options.scryptLogN }),
    passphrase: async (mspId, purpose) => {
      const own = identityPassphraseEnvOf(mspId);
      const fromEnv = process.env[own] || process.env[identityPassphraseEnv] || options.fixed;
      if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
      if (!process.stdin.isTTY || !process.stderr.isTTY)
        throw cliError('PASSPHRASE_REQUIRED', 'identityNoTerminal', {
          mspId,
          env: own,
          general: identityPassphraseEnv,
        });
      const entered = await promptHidden(
        purpose === 'new'
          ? strings.pick(`${mspId} 帳本身分的新密語：`, `New passphrase for ${mspId}'s ledger identities: `)
          : strings.pick(`${mspId} 帳本身分密語：`, `Passphrase of ${mspId}'s ledger identities: `),
      );
      if (entered === '') throw cliError('PASSPHRASE_REQUIRED', 'empty', {});
      if (purpose === 'new') {
        const again = await promptHidden(strings.pick('再輸入一次：', 'Once more: '));
        if (again !== entered) throw cliError('PASSPHRASE_REQUIRED', 'differ', {});
      }
      return entered;
    },
  };
}
