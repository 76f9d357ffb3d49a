/**
 * Wallets reach an issuer or a verifier over https only. On this machine's loopback address http is
 * accepted too (a demo, a test): then the protocol library must be told, through its one process-wide
 * switch (`setGlobalConfig({ allowInsecureUrls: true })`), set here and nowhere else (decision 0035).
 */
import { setGlobalConfig } from '@openid4vc/utils';

/** True for an http URL on a loopback host, after telling the library to accept such URLs. */
export function allowLoopbackHttp(url: URL): boolean {
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return false;
  setGlobalConfig({ allowInsecureUrls: true });
  return true;
}
