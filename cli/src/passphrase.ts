/**
 * The issuer key passphrase: CREDLEDGER_KEY_PASSPHRASE, or a prompt on the terminal that echoes
 * nothing. It is never printed, logged or put in an error message.
 */
import { cliError } from './context.js';
import { i18n, langFromArgv, resolveLang } from './i18n.js';

export const passphraseEnv = 'CREDLEDGER_KEY_PASSPHRASE';

let cached: string | undefined;

/** Reads the passphrase once per process. Fails: PASSPHRASE_REQUIRED when there is no env var and no terminal. */
export async function passphrase(
  prompt = i18n(resolveLang(langFromArgv(process.argv.slice(2)))).pick('發行者金鑰密語：', 'Issuer key passphrase: '),
): Promise<string> {
  if (cached !== undefined) return cached;
  const fromEnv = process.env[passphraseEnv];
  if (fromEnv !== undefined && fromEnv !== '') return (cached = fromEnv);
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw cliError('PASSPHRASE_REQUIRED', 'noTerminal', { env: passphraseEnv });
  }
  cached = await promptHidden(prompt);
  if (cached === '') throw cliError('PASSPHRASE_REQUIRED', 'empty', {});
  return cached;
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
