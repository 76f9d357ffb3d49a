/**
 * `credledger demo`: the whole mission in seconds on a fresh embedded ledger, then the verifier on
 * localhost (unless `--no-serve`) with what to open and scan. With `--host 0.0.0.0` it serves the LAN
 * over HTTPS (a certificate made for the occasion) and the QR codes link to this machine's LAN
 * address, so a phone on the same network can scan them and the page can check their signatures.
 * The wiring: arguments, options and help. The action is actions/demo.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, type Wiring } from '../wiring.js';

export function registerDemo(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('demo')
    .description(
      t.pick(
        '一鍵示範：建立工作區、登記發行者、核發與撤銷、產生 QR、啟動驗證頁',
        'one-command tour: workspace, issuers, issue and revoke, QR codes, verifier on localhost',
      ),
    )
    .argument(
      '[dir]',
      t.pick(
        '示範目錄（預設：新的暫存目錄；既有示範目錄會被取代）',
        'demo folder (default: a new temp folder; an earlier demo there is replaced)',
      ),
    );
  later(command, { options: true }, () => {
    command
      .option('--no-serve', t.pick('不啟動驗證服務（供腳本使用）', 'do not start the verifier (for scripts)'))
      .option(
        '--wallet',
        t.pick(
          '再示範數位皮夾：要約 → 皮夾領取 → 只出示姓名與證書字號（OpenID4VCI、OpenID4VP）',
          'also tour the wallet: offer → wallet receives → presents the name and licence number only (OpenID4VCI, OpenID4VP)',
        ),
      )
      .option('--port <port>', t.pick('驗證服務埠號', 'verifier port'), '8080')
      .option(
        '--host <host>',
        t.pick(
          '監聽介面；0.0.0.0 供同網路的手機掃描（以臨時憑證提供 HTTPS）',
          'interface to listen on; 0.0.0.0 lets a phone on the LAN scan (served over HTTPS with a throwaway certificate)',
        ),
        '127.0.0.1',
      )
      .option(
        '--public-url <url>',
        t.pick(
          'QR 碼與連結使用的網址，例如 HTTPS 代理或通道的網址（此時本服務以 HTTP 提供）',
          'the URL QR codes and links use, e.g. an HTTPS proxy or tunnel in front (this server then speaks plain HTTP)',
        ),
      )
      .action(action(async () => (await import('../actions/demo.js')).demo));
    examples(command, t, [
      'credledger demo',
      'credledger demo --host 0.0.0.0',
      'credledger demo --host 0.0.0.0 --public-url https://demo.example.org',
      'credledger demo ./demo --no-serve --json',
      'credledger demo --wallet',
    ]);
  });
}
