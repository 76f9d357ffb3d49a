/**
 * `credledger demo`: the whole mission in seconds on a fresh embedded ledger, then the verifier on
 * localhost (unless `--no-serve`) with what to open and scan. With `--host 0.0.0.0` it serves the LAN
 * over HTTPS (a certificate made for the occasion) and the QR codes link to this machine's LAN
 * address, so a phone on the same network can scan them and the page can check their signatures.
 * What the command does; its arguments, options and help are wired in commands/demo.ts, which
 * loads this module when the command runs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { pad } from '../columns.js';
import { cliError, type Context } from '../context.js';
import { codeInWords, statusWords } from '../i18n.js';
import { runDemo, type DemoResult } from '../demo-run.js';
import { walletWalkthrough } from '../demo-wallet.js';
import { identityPassphraseEnv, passphraseEnv } from '../passphrase.js';
import {
  isLoopback,
  isSecureForOthers,
  lanAddress,
  parsePublicUrl,
  publicUrlFor,
  sameLocation,
} from '../public-url.js';
import { quoted } from '../quoted.js';
import { serveUntilSignal } from '../serve-run.js';
import { openWorkspace } from '../workspace.js';

interface DemoOptions {
  readonly serve: boolean;
  readonly wallet?: boolean;
  readonly port: string;
  readonly host: string;
  readonly publicUrl?: string;
}

/** The demo's TLS certificate, written beside its credentials (it is public; the key stays in memory). */
const tlsCertFileName = 'tls-cert.pem';

/** How to scan the demo's QR codes with a phone on the same network, said for where the demo listens. */
function phoneNotes(
  ctx: Context,
  where: {
    host: string;
    port: number;
    publicUrl: string;
    lan: string | undefined;
    given: boolean;
    fingerprint?: string;
  },
): void {
  if (isLoopback(where.host) && !where.given) {
    const portFlag = where.port === 8080 ? '' : ` --port ${where.port}`;
    ctx.note(
      ctx.pick(
        `手機無法開啟 localhost。要用同一網路的手機掃描，請改以下列指令重新執行${where.lan === undefined ? '（找不到區域網路位址：請先連上手機所在的網路）' : `（QR 碼將連到 https://${where.lan}:${where.port}）`}：`,
        `A phone cannot open localhost. To scan from a phone on the same network, rerun with${where.lan === undefined ? ' (no LAN address found: join the phone’s network first)' : ` (the QR codes then link to https://${where.lan}:${where.port})`}:`,
      ),
    );
    ctx.note(`  npx credledger demo --host 0.0.0.0${portFlag}`);
    return;
  }
  if (isLoopback(where.host)) {
    ctx.note(
      ctx.pick(
        `注意：QR 碼連到 ${where.publicUrl}，但本服務只在本機（${where.host}）監聽；須由代理或通道轉送到此`,
        `note: the QR codes link to ${where.publicUrl}, but this server listens on ${where.host} only: a proxy or tunnel must forward it here`,
      ),
    );
  }
  if (!isSecureForOthers(where.publicUrl)) {
    ctx.note(
      ctx.pick(
        `注意：${where.publicUrl} 不是 https://。瀏覽器只在 https:// 或 localhost 提供驗證簽章所需的 WebCrypto，手機開啟此網址將無法驗證；請改用 HTTPS 網址（代理或通道），或不給 --public-url 讓示範自行提供 HTTPS`,
        `note: ${where.publicUrl} is not https://. Browsers offer the WebCrypto that checks signatures only on https:// or localhost, so a phone opening it cannot verify; use an HTTPS address (a proxy or tunnel), or leave out --public-url and the demo serves HTTPS itself`,
      ),
    );
    return;
  }
  if (where.lan === undefined && !where.given) {
    ctx.note(
      ctx.pick(
        '找不到區域網路位址，QR 碼連到 localhost；請以 --public-url 指定手機可連的 HTTPS 網址',
        'no LAN address found, so the QR codes link to localhost; give --public-url with an HTTPS address a phone can reach',
      ),
    );
    return;
  }
  ctx.note(
    ctx.pick(
      `同一網路的手機：用手機相機 App 掃描上列 PNG，會開啟 ${where.publicUrl}/#… 並在頁面上驗證。`,
      `From a phone on the same network: scan a PNG above with the phone's camera app; it opens ${where.publicUrl}/#… and the page verifies it.`,
    ),
  );
  if (where.fingerprint !== undefined)
    ctx.note(
      ctx.pick(
        `此頁以示範剛產生的憑證提供 HTTPS，手機會警告「連線不安全／憑證不受信任」：核對 SHA-256 指紋 ${where.fingerprint} 後選擇繼續前往。` +
          '（瀏覽器只在 https:// 或 localhost 提供驗證簽章所需的 WebCrypto 與相機，所以不用 http://。）',
        `The page is served over HTTPS with a certificate this demo made just now, so the phone warns that it is not trusted: compare the SHA-256 fingerprint ${where.fingerprint}, then continue. ` +
          '(Browsers offer the WebCrypto that checks signatures, and the camera, only on https:// or localhost: hence not http://.)',
      ),
    );
}

/** The passphrase of the demo's issuer keys when the environment gives none. */
const demoPassphrase = 'credledger demo';

/**
 * How to issue in the demo workspace: its issuer keys and its ledger identities are encrypted, with the
 * fixed demo passphrase (said here, since nothing else tells) or with the ones the environment gave.
 */
function issueCommands(ctx: Context, result: DemoResult, fixed: readonly string[]): string[] {
  const command = `npx credledger -w ${result.dir} issue LawyerLicenceCredential --name 王小明 --licence-number '(115)台檢證字第012345號' --admission-date 2020-09-01 --practice-status practising --out ${join(result.dir, 'wang.jwt')}`;
  if (fixed.length === 0)
    return [
      ctx.pick(
        `核發新憑證（示範的發行者金鑰與帳本身分以你設定的 ${passphraseEnv} 與 ${identityPassphraseEnv} 加密）：`,
        `issue one (the demo's issuer keys and ledger identities are encrypted with the ${passphraseEnv} and ${identityPassphraseEnv} you set):`,
      ),
      `  ${command}`,
    ];
  const names = fixed.join(ctx.pick(' 與 ', ' and '));
  return [
    ctx.pick(
      `核發新憑證：示範的金鑰以密語「${demoPassphrase}」加密，請設定 ${names}（或在提示時輸入）：`,
      `issue one: the demo's keys are encrypted with the passphrase '${demoPassphrase}'; set ${names} (or type it when asked):`,
    ),
    `  ${fixed.map((name) => `${name}='${demoPassphrase}'`).join(' ')} ${command}`,
  ];
}

/** Commands on the demo workspace itself: verifying a licence and the revoked one against its ledger. */
function workspaceCommands(result: DemoResult): string[] {
  return [
    `  npx credledger -w ${result.dir} verify ${result.credentials[0]?.qrPng ?? ''}`,
    `  npx credledger -w ${result.dir} verify ${result.credentials[2]?.jwtFile ?? ''}`,
  ];
}

/** The action of `credledger demo`. */
export async function demo(ctx: Context, dir: string | undefined, options: DemoOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw cliError('INVALID_INPUT', 'demoPort', { value: await quoted(options.port) });
  // The tour's wallet runs in this process: it reaches the server on this machine only.
  if (options.wallet === true && (!isLoopback(options.host) || options.publicUrl !== undefined))
    throw cliError('INVALID_INPUT', 'demoWalletLocal', {});
  const given = options.publicUrl === undefined ? undefined : await parsePublicUrl(options.publicUrl);
  const lan = lanAddress();
  // Other machines' browsers check signatures only over HTTPS: the demo serves it itself when it
  // listens beyond loopback and no proxy address (--public-url) was given.
  const https = given === undefined && !isLoopback(options.host);
  const tls = https && options.serve;
  const publicUrl = publicUrlFor({
    host: options.host,
    port,
    scheme: https ? 'https' : 'http',
    ...(given === undefined ? {} : { publicUrl: given }),
    ...(lan === undefined ? {} : { lan }),
  });
  // Demo keys are throwaway; without a passphrase in the environment they get a fixed one, which
  // the output then names: issuing in the demo workspace needs it. The same for the ledger
  // identities' keyrings (every organisation's, in the demo).
  const fixed = [passphraseEnv, identityPassphraseEnv].filter((name) => !process.env[name]);
  for (const name of fixed) process.env[name] = demoPassphrase;
  const started = performance.now();
  const result = await runDemo({
    ...(dir === undefined ? {} : { dir }),
    port,
    publicUrl,
    keyPassphrase: ctx.keyPassphrase,
  });
  const seconds = Math.round(performance.now() - started) / 1000;
  const summary = {
    ...result,
    publicUrl,
    seconds,
    ...(fixed.includes(passphraseEnv) ? { keyPassphrase: demoPassphrase } : {}),
    ...(fixed.includes(identityPassphraseEnv) ? { identityPassphrase: demoPassphrase } : {}),
  };
  // With the wallet tour, one JSON document after it, the tour included.
  if (ctx.options.json && options.wallet !== true) ctx.emit(summary);
  else if (!ctx.options.json) {
    ctx.say(ctx.pick(`示範工作區：${result.dir}（${seconds} 秒）`, `demo workspace: ${result.dir} (${seconds} s)`));
    for (const credential of result.credentials) {
      ctx.say(
        `  ${credential.label.padEnd(24)} ${pad(codeInWords(ctx, credential.status, statusWords), ctx.pick(16, 8))} ${credential.qrPng}`,
      );
    }
    const documents = result.credentials.flatMap((credential) => credential.pdf ?? []);
    if (documents.length > 0)
      ctx.say(
        ctx.pick(`可列印文件（PDF）：${documents.join('、')}`, `printable documents (PDF): ${documents.join(', ')}`),
      );
    if (!options.serve) {
      ctx.say(ctx.pick('試試：', 'try:'));
      for (const line of workspaceCommands(result)) ctx.say(line);
      for (const line of issueCommands(ctx, result, fixed)) ctx.say(line);
    }
  }
  if (options.wallet === true) {
    const workspace = openWorkspace(result.dir);
    const statusBase = workspace.config.statusBaseUrl.replace(/\/+$/, '');
    let credentialIssuer = statusBase;
    await serveUntilSignal(workspace, {
      // Without --no-serve the tour's server stays up as the demo's verifier; else any free port.
      port: options.serve ? port : 0,
      host: options.host,
      wallet: {
        keyPassphrase: ctx.keyPassphrase,
        issuerUrlFor: (url) => (credentialIssuer = sameLocation(statusBase, url) ? statusBase : url),
        onEvent: () => undefined,
        onSweep: () => undefined,
        onListening: () => undefined,
      },
      onListening: () => undefined,
      afterListening: async () => {
        const tour = await walletWalkthrough(ctx, workspace, credentialIssuer, result.dir);
        if (ctx.options.json) ctx.emit({ ...summary, wallet: tour });
        if (options.serve)
          ctx.note(
            ctx.pick(
              `驗證頁：${publicUrl}/ ；數位皮夾發證：${credentialIssuer}/.well-known/openid-credential-issuer（Ctrl-C 結束）`,
              `verifier page: ${publicUrl}/; wallet issuance: ${credentialIssuer}/.well-known/openid-credential-issuer (Ctrl-C to stop)`,
            ),
          );
        return options.serve;
      },
    });
    return;
  }
  if (!options.serve) return;
  const certificate = tls
    ? await (
        await import('@credledger/server')
      ).selfSignedCertificate({ hosts: [...new Set([new URL(publicUrl).hostname, 'localhost', '127.0.0.1'])] })
    : undefined;
  const certFile = join(result.dir, tlsCertFileName);
  if (certificate) await writeFile(certFile, certificate.cert);
  await serveUntilSignal(openWorkspace(result.dir), {
    port,
    host: options.host,
    ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
    onListening: (url, sharing) => {
      // Commands on this machine reach the server over loopback, whatever interface it listens on.
      const api = `${certificate ? 'https' : 'http'}://${certificate ? 'localhost' : '127.0.0.1'}:${new URL(url).port}`;
      const trust = certificate ? `NODE_EXTRA_CA_CERTS=${certFile} ` : '';
      ctx.note(
        ctx.pick(
          `驗證頁：${publicUrl}/ — 用手機掃描上列 PNG，或開啟：`,
          `verifier page: ${publicUrl}/ — scan the PNGs above with a phone, or open:`,
        ),
      );
      for (const credential of result.credentials) ctx.note(`  ${credential.label}: ${credential.link}`);
      ctx.note(ctx.pick('或在另一個終端機：', 'or, in another terminal:'));
      // While the demo serves, it holds the workspace's ledger and other commands act through it.
      const reached = sharing !== undefined && 'socket' in sharing;
      if (reached) for (const line of workspaceCommands(result)) ctx.note(line);
      if (reached) for (const line of issueCommands(ctx, result, fixed)) ctx.note(line);
      ctx.note(`  ${trust}npx credledger verify ${result.credentials[0]?.qrPng ?? ''} --api ${api}`);
      if (!reached) ctx.note(`  ${trust}npx credledger verify ${result.credentials[2]?.jwtFile ?? ''} --api ${api}`);
      phoneNotes(ctx, {
        host: options.host,
        port,
        publicUrl,
        lan,
        given: given !== undefined,
        ...(certificate ? { fingerprint: certificate.fingerprint } : {}),
      });
      ctx.note(ctx.pick('Ctrl-C 結束', 'Ctrl-C to stop'));
    },
  });
}
