/** `credledger serve`: the verifier page, the read-only JSON API and DID documents, over this workspace's ledger. */
import { join } from 'node:path';
import type { Command } from 'commander';

import { action, cliError } from '../context.js';
import { examples, readerOption, type Wiring } from '../wiring.js';
import {
  isLoopback,
  isSecureForOthers,
  isWildcard,
  lanAddress,
  parsePublicUrl,
  publicUrlFor,
  sameLocation,
} from '../public-url.js';
import { quoted } from '../quoted.js';
import { serveUntilSignal } from '../serve-run.js';
import { readVerifierSigning } from '../verifier-signing.js';
import { openWorkspace } from '../workspace.js';

interface ServeOptions {
  readonly port: string;
  readonly host: string;
  readonly publicUrl?: string;
  readonly webRoot?: string;
  readonly published?: string;
  readonly tracking?: boolean;
  readonly stateDir?: string;
  readonly allowLoopbackWebhooks?: boolean;
  readonly trustProxy?: boolean;
  readonly wallet?: boolean;
  readonly verifierCertificate?: string;
  readonly verifierKey?: string;
  readonly as?: string;
}

export function registerServe(program: Command, { t }: Wiring): void {
  const command = program
    .command('serve')
    .description(
      t.pick('提供驗證網頁、唯讀 API 與 DID 文件', 'serve the verifier page, the read-only API and DID documents'),
    )
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
      t.pick('啟用狀態追蹤：webhook 訂閱與即時串流', 'enable status tracking: webhook subscriptions and live streams'),
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
    .option('--verifier-key <file>', t.pick('該憑證的 P-256 私鑰（PEM）', "that certificate's P-256 private key (PEM)"))
    .addOption(readerOption(t))
    .action(
      action(async (ctx, options: ServeOptions) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw cliError('INVALID_INPUT', 'servePort', { value: await quoted(options.port) });
        const publicUrl = options.publicUrl === undefined ? undefined : await parsePublicUrl(options.publicUrl);
        if (
          (options.verifierCertificate === undefined) !== (options.verifierKey === undefined) ||
          (options.verifierCertificate !== undefined && options.wallet !== true)
        )
          throw cliError('USAGE', 'verifierSigning', {});
        const verifierSigning =
          options.verifierCertificate === undefined || options.verifierKey === undefined
            ? undefined
            : await readVerifierSigning(options.verifierCertificate, options.verifierKey);
        const workspace = openWorkspace(ctx.options.workspace);
        await serveUntilSignal(workspace, {
          port,
          host: options.host,
          ...(options.as === undefined ? {} : { as: options.as }),
          ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
          ...(options.published === undefined ? {} : { publishedRoot: options.published }),
          ...(options.tracking === true
            ? {
                tracking: {
                  stateDir: options.stateDir ?? join(workspace.dir, 'serve-state'),
                  allowLoopbackHttp: options.allowLoopbackWebhooks === true,
                },
              }
            : {}),
          ...(options.trustProxy === true ? { trustProxy: true } : {}),
          ...(options.wallet === true
            ? {
                wallet: {
                  keyPassphrase: ctx.keyPassphrase,
                  ...(verifierSigning === undefined ? {} : { verifierSigning }),
                  // Offers name the workspace's statusBaseUrl; where this server is that place, it is the issuer's name.
                  issuerUrlFor: (url: string) => {
                    const statusBase = workspace.config.statusBaseUrl.replace(/\/+$/, '');
                    return publicUrl ?? (sameLocation(statusBase, url) ? statusBase : url);
                  },
                  // One line per redemption and per refusal: what an operator audits.
                  onEvent: (event) => {
                    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
                    const what =
                      event.kind === 'issued'
                        ? event.endpoint === 'token'
                          ? t.pick('要約已兌換權杖', 'offer exchanged for a token')
                          : t.pick(
                              `已發出憑證 ${event.credentialId ?? ''}`,
                              `credential ${event.credentialId ?? ''} issued`,
                            )
                        : t.pick(
                            `已拒絕（${event.reason ?? ''}）：${event.message ?? ''}`,
                            `refused (${event.reason ?? ''}): ${event.message ?? ''}`,
                          );
                    process.stderr.write(
                      `wallet ${at} ${event.endpoint} offer=${event.offerId ?? '-'} client=${event.client}: ${what}\n`,
                    );
                  },
                  // A line when a sweep changed something or failed; a quiet folder says nothing.
                  onSweep: (result) => {
                    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
                    if (result instanceof Error)
                      process.stderr.write(
                        t.pick(
                          `wallet ${at} 整理要約資料夾失敗（下次再試）：${result.message}\n`,
                          `wallet ${at} tidying the offers folder failed (tried again later): ${result.message}\n`,
                        ),
                      );
                    else if (result.expired > 0 || result.removed > 0)
                      process.stderr.write(
                        t.pick(
                          `wallet ${at} 要約：${result.expired} 件逾期未兌換，已刪除其個人資料；${result.removed} 件已結束超過 30 天，已刪除\n`,
                          `wallet ${at} offers: ${result.expired} expired unredeemed (personal data removed), ${result.removed} finished over 30 days ago deleted\n`,
                        ),
                      );
                  },
                  onListening: ({ credentialIssuer, issuers, skipped }) => {
                    if (ctx.options.json) ctx.emit({ credentialIssuer, issuers, skipped });
                    else
                      ctx.note(
                        t.pick(
                          `數位皮夾發證：${credentialIssuer}（發行者 ${issuers.join('、')}）`,
                          `wallet issuance at ${credentialIssuer} (issuers ${issuers.join(', ')})`,
                        ),
                      );
                    const statusBase = workspace.config.statusBaseUrl.replace(/\/+$/, '');
                    if (!ctx.options.json && credentialIssuer !== statusBase)
                      ctx.note(
                        t.pick(
                          `注意：credledger offer 預設以 ${statusBase}（statusBaseUrl）為發證網址；要讓錢包來此兌換，建立要約時請加 --issuer-url ${credentialIssuer}`,
                          `note: credledger offer names ${statusBase} (statusBaseUrl) by default; for wallets to redeem offers here, make them with --issuer-url ${credentialIssuer}`,
                        ),
                      );
                    for (const { did, reason } of skipped)
                      ctx.note(
                        t.pick(
                          `注意：無法兌換 ${did} 的要約：${reason}`,
                          `note: offers of ${did} cannot be redeemed here: ${reason}`,
                        ),
                      );
                  },
                },
              }
            : {}),
          onListening: (url, sharing) => {
            // Listening on every interface, the address to print is the LAN one (0.0.0.0 opens nowhere).
            const shown =
              publicUrl ??
              (isWildcard(options.host)
                ? publicUrlFor({ host: options.host, port: Number(new URL(url).port), lan: lanAddress() })
                : url);
            if (ctx.options.json) ctx.emit({ url, publicUrl: shown });
            else {
              const listening = shown === url ? '' : t.pick(`，監聽 ${url}`, `, listening on ${url}`);
              ctx.say(
                t.pick(
                  `驗證服務：${shown}（Ctrl-C 結束${listening}）`,
                  `verifier at ${shown} (Ctrl-C to stop${listening})`,
                ),
              );
            }
            if (!isLoopback(options.host) && !isSecureForOthers(shown))
              ctx.note(
                t.pick(
                  `注意：瀏覽器只在 https:// 或 localhost 提供驗證簽章所需的 WebCrypto；其他裝置開啟 ${shown} 將無法驗證。請以 HTTPS 代理轉送，並以 --public-url 給出其網址`,
                  `note: browsers offer the WebCrypto that checks signatures only on https:// or localhost, so other devices opening ${shown} cannot verify; put an HTTPS proxy in front and give its address as --public-url`,
                ),
              );
            // QR codes carry the workspace's verifierBaseUrl, not this server's address: say when they differ.
            const base = workspace.config.verifierBaseUrl.replace(/\/+$/, '');
            if (!sameLocation(base, shown))
              ctx.note(
                t.pick(
                  `注意：此工作區核發的 QR 碼連到 ${base}（credledger.json 的 verifierBaseUrl）；要讓新核發的 QR 碼開啟本服務，請將 verifierBaseUrl 設為 ${shown}/、statusBaseUrl 設為 ${shown}`,
                  `note: QR codes issued in this workspace link to ${base} (verifierBaseUrl in credledger.json); for new ones to open this server, set verifierBaseUrl to ${shown}/ and statusBaseUrl to ${shown}`,
                ),
              );
            if (sharing !== undefined && 'unavailable' in sharing)
              ctx.note(
                t.pick(
                  `serve 執行期間，其他指令無法使用此工作區的帳本：${sharing.unavailable}`,
                  `while serve runs, other commands cannot use this workspace's ledger: ${sharing.unavailable}`,
                ),
              );
          },
        });
      }),
    );
  examples(command, t, [
    'credledger serve',
    'credledger serve --port 0 --published public/',
    'credledger serve --host 0.0.0.0 --public-url https://verify.moj.gov.tw',
    'credledger serve --wallet --public-url https://wallet.moj.gov.tw',
  ]);
}
