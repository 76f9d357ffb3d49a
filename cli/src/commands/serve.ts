/**
 * `credledger serve`: the verifier page, the read-only JSON API and DID documents, over this workspace's ledger.
 * The wiring: arguments, options and help. The action is actions/serve.ts, loaded when the command runs.
 */
import type { Command } from 'commander';

import { action } from '../action.js';
import { examples, readerOption, type Wiring } from '../wiring.js';

export function registerServe(program: Command, { t, later }: Wiring): void {
  const command = program
    .command('serve')
    .description(
      t.pick('提供驗證網頁、唯讀 API 與 DID 文件', 'serve the verifier page, the read-only API and DID documents'),
    );
  later(command, { options: true }, () => {
    command
      .option('--port <port>', t.pick('埠號（0 表示自動選擇）', 'port (0 picks a free one)'), '8080')
      .option(
        '--host <host>',
        t.pick(
          '監聽介面（0.0.0.0：所有介面，供同網路的手機連線）',
          'interface to listen on (0.0.0.0: every interface, for phones on the LAN)',
        ),
        '127.0.0.1',
      )
      .option(
        '--public-url <url>',
        t.pick(
          '對外網址（列印的網址；預設依 --host 推得）',
          'the URL people reach this server at (printed; default from --host)',
        ),
      )
      .option(
        '--web-root <dir>',
        t.pick('驗證網頁目錄（預設 `verifier-web/dist`）', 'verifier page directory (default verifier-web/dist)'),
      )
      .option(
        '--published <dir>',
        t.pick('已發布的狀態清單與信任清單目錄', 'directory of published status lists and trust list'),
      )
      .option(
        '--tracking',
        t.pick(
          '啟用狀態追蹤：webhook 訂閱與即時串流',
          'enable status tracking: webhook subscriptions and live streams',
        ),
      )
      .option(
        '--state-dir <dir>',
        t.pick(
          '追蹤狀態目錄（預設 `<workspace>/serve-state`）',
          'tracking state directory (default <workspace>/serve-state)',
        ),
      )
      .option(
        '--allow-loopback-webhooks',
        t.pick('允許 http://127.0.0.1 webhook（僅供開發）', 'allow http://127.0.0.1 webhooks (development only)'),
      )
      .option(
        '--trust-proxy',
        t.pick(
          '位於反向代理之後：以其 `X-Forwarded-For` 的最後一跳為用戶端位址（流量限制、每用戶端上限）；僅在代理會設定此標頭時使用',
          'behind a reverse proxy: take the client address from the last X-Forwarded-For hop (rate limit, per-client bounds); only where the proxy sets that header',
        ),
      )
      .option(
        '--wallet',
        t.pick(
          '啟用數位皮夾發證（OpenID4VCI）：兌換 `credledger offer` 建立的要約，需發行者金鑰',
          'enable wallet issuance (OpenID4VCI): redeem offers made by `credledger offer`; needs the issuer key',
        ),
      )
      .option(
        '--verifier-certificate <file>',
        t.pick(
          '簽署出示請求（`x509_san_dns`）的 X.509 憑證鏈，PEM，葉憑證在前，須載明本站網域；與 --verifier-key 同用',
          "sign presentation requests (x509_san_dns): X.509 certificate chain, PEM, leaf first, naming this server's domain; with --verifier-key",
        ),
      )
      .option(
        '--verifier-key <file>',
        t.pick('該憑證的 P-256 私鑰（PEM）', "that certificate's P-256 private key (PEM)"),
      )
      .addOption(readerOption(t))
      .action(action(async () => (await import('../actions/serve.js')).serve));
    examples(command, t, [
      'credledger serve',
      'credledger serve --port 0 --published public/',
      'credledger serve --host 0.0.0.0 --public-url https://verify.moj.gov.tw',
      'credledger serve --wallet --public-url https://wallet.moj.gov.tw',
    ]);
  });
}
