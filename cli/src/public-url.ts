/**
 * Where people reach the verifier: the public URL that links and QR codes point at, and the LAN
 * address a phone on the same network can open. `serve` and `demo` listen on loopback unless told
 * otherwise (`--host 0.0.0.0`); the public URL is what they print and what the demo's QR codes link to.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

import { cliError } from './context.js';
import { quoted } from './quoted.js';

/**
 * Parses `--public-url`: an http(s) URL with no credentials, query or fragment (the credential rides in
 * the fragment of links built from it). Returned without a trailing slash. Fails: INVALID_INPUT.
 */
export async function parsePublicUrl(text: string): Promise<string> {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    text.includes('#') ||
    text.includes('?')
  ) {
    throw cliError('INVALID_INPUT', 'publicUrl', { value: await quoted(text) });
  }
  return url.href.replace(/\/+$/, '');
}

/** Is `host` (a `--host` value) a loopback interface, reachable from this machine only? */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Does `host` listen on every interface? */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

// Interfaces of containers and virtual machines on this host: a phone on the LAN cannot reach them.
const virtualInterface = /^(docker|br-|veth|virbr|vboxnet|vmnet|cni|flannel|lxc|tun|tap|wg)/;

/** 192.168/16 first (home and office Wi-Fi), then 10/8, then 172.16/12, then any other address. */
function rank(address: string): number {
  if (address.startsWith('192.168.')) return 0;
  if (address.startsWith('10.')) return 1;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(address)) return 2;
  return 3;
}

/**
 * The IPv4 address a phone on the same network most likely reaches this machine at: not loopback,
 * not link-local, not a container or VM bridge; private ranges first. Undefined when there is none.
 */
export function lanAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string | undefined {
  const candidates: string[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    if (virtualInterface.test(name)) continue;
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.'))
        candidates.push(info.address);
    }
  }
  return candidates.sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * The URL to print and to build links with: `--public-url` when given; else, listening on every
 * interface, the LAN address when there is one; else the listening host (`localhost` for loopback,
 * as a new workspace's links have it). `scheme` is the server's own (https when it serves TLS).
 */
export function publicUrlFor(options: {
  readonly host: string;
  readonly port: number;
  readonly publicUrl?: string;
  readonly lan?: string;
  readonly scheme?: 'http' | 'https';
}): string {
  if (options.publicUrl !== undefined) return options.publicUrl;
  const scheme = options.scheme ?? 'http';
  if (isWildcard(options.host) && options.lan !== undefined) return `${scheme}://${options.lan}:${options.port}`;
  if (isWildcard(options.host) || isLoopback(options.host)) return `${scheme}://localhost:${options.port}`;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${scheme}://${host}:${options.port}`;
}

/**
 * Can a browser elsewhere check signatures on a page at `url`? WebCrypto (and the camera) exist only in
 * a secure context: https://, or http://localhost on the browser's own machine.
 */
export function isSecureForOthers(url: string): boolean {
  return url.startsWith('https://');
}

/**
 * Do two base URLs name the same place? Loopback names (`localhost`, 127.0.0.1, [::1]) count as one,
 * and a trailing slash does not matter.
 */
export function sameLocation(a: string, b: string): boolean {
  const canonical = (text: string): string => {
    try {
      const url = new URL(text);
      if (url.hostname === '[::1]' || url.hostname === '::1' || isLoopback(url.hostname)) url.hostname = 'localhost';
      return url.href.replace(/\/+$/, '');
    } catch {
      return text;
    }
  };
  return canonical(a) === canonical(b);
}
