/**
 * `credledger serve`: the verifier page, the read-only JSON API and DID documents, over this workspace's ledger.
 * What the command does; its arguments, options and help are wired in commands/serve.ts, which
 * loads this module when the command runs.
 */
import { join } from 'node:path';

import { cliError, type Context } from '../context.js';
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

/** The action of `credledger serve`. */
export async function serve(ctx: Context, options: ServeOptions): Promise<void> {
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
                    ? ctx.pick('要約已兌換權杖', 'offer exchanged for a token')
                    : ctx.pick(
                        `已發出憑證 ${event.credentialId ?? ''}`,
                        `credential ${event.credentialId ?? ''} issued`,
                      )
                  : ctx.pick(
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
                  ctx.pick(
                    `wallet ${at} 整理要約資料夾失敗（下次再試）：${result.message}\n`,
                    `wallet ${at} tidying the offers folder failed (tried again later): ${result.message}\n`,
                  ),
                );
              else if (result.expired > 0 || result.removed > 0)
                process.stderr.write(
                  ctx.pick(
                    `wallet ${at} 要約：${result.expired} 件逾期未兌換，已刪除其個人資料；${result.removed} 件已結束超過 30 天，已刪除\n`,
                    `wallet ${at} offers: ${result.expired} expired unredeemed (personal data removed), ${result.removed} finished over 30 days ago deleted\n`,
                  ),
                );
            },
            onListening: ({ credentialIssuer, issuers, skipped }) => {
              if (ctx.options.json) ctx.emit({ credentialIssuer, issuers, skipped });
              else
                ctx.note(
                  ctx.pick(
                    `數位皮夾發證：${credentialIssuer}（發行者 ${issuers.join('、')}）`,
                    `wallet issuance at ${credentialIssuer} (issuers ${issuers.join(', ')})`,
                  ),
                );
              const statusBase = workspace.config.statusBaseUrl.replace(/\/+$/, '');
              if (!ctx.options.json && credentialIssuer !== statusBase)
                ctx.note(
                  ctx.pick(
                    `注意：credledger offer 預設以 ${statusBase}（statusBaseUrl）為發證網址；要讓錢包來此兌換，建立要約時請加 --issuer-url ${credentialIssuer}`,
                    `note: credledger offer names ${statusBase} (statusBaseUrl) by default; for wallets to redeem offers here, make them with --issuer-url ${credentialIssuer}`,
                  ),
                );
              for (const { did, reason } of skipped)
                ctx.note(
                  ctx.pick(
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
        const listening = shown === url ? '' : ctx.pick(`，監聽 ${url}`, `, listening on ${url}`);
        ctx.say(
          ctx.pick(
            `驗證服務：${shown}（Ctrl-C 結束${listening}）`,
            `verifier at ${shown} (Ctrl-C to stop${listening})`,
          ),
        );
      }
      if (!isLoopback(options.host) && !isSecureForOthers(shown))
        ctx.note(
          ctx.pick(
            `注意：瀏覽器只在 https:// 或 localhost 提供驗證簽章所需的 WebCrypto；其他裝置開啟 ${shown} 將無法驗證。請以 HTTPS 代理轉送，並以 --public-url 給出其網址`,
            `note: browsers offer the WebCrypto that checks signatures only on https:// or localhost, so other devices opening ${shown} cannot verify; put an HTTPS proxy in front and give its address as --public-url`,
          ),
        );
      // QR codes carry the workspace's verifierBaseUrl, not this server's address: say when they differ.
      const base = workspace.config.verifierBaseUrl.replace(/\/+$/, '');
      if (!sameLocation(base, shown))
        ctx.note(
          ctx.pick(
            `注意：此工作區核發的 QR 碼連到 ${base}（credledger.json 的 verifierBaseUrl）；要讓新核發的 QR 碼開啟本服務，請將 verifierBaseUrl 設為 ${shown}/、statusBaseUrl 設為 ${shown}`,
            `note: QR codes issued in this workspace link to ${base} (verifierBaseUrl in credledger.json); for new ones to open this server, set verifierBaseUrl to ${shown}/ and statusBaseUrl to ${shown}`,
          ),
        );
      if (sharing !== undefined && 'unavailable' in sharing)
        ctx.note(
          ctx.pick(
            `serve 執行期間，其他指令無法使用此工作區的帳本：${sharing.unavailable}`,
            `while serve runs, other commands cannot use this workspace's ledger: ${sharing.unavailable}`,
          ),
        );
    },
  });
}
