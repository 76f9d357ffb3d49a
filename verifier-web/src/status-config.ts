/**
 * Where the page gets issuer and status data, from `config.json` beside the page:
 *
 *   { "statusApi": "." }                        a `credledger serve` (its base URL, relative to the page)
 *   { "trustList": "trust-list.jwt",            signed files beside the page (static hosting):
 *     "governanceKeys": [ { "kid", "publicKeyJwk" } ] }   the pinned keys the trust list must be signed with
 *
 * Both at once (`statusApi` and `governanceKeys`): the API answers, and when it cannot be reached the
 * signed files (from the host, or the service worker's copies) answer instead, with their age shown.
 * `credledger serve` answers `config.json` itself with `{ "statusApi": "." }`, and `serve --wallet` adds
 * `"presentationVerifier": "."`: where the page asks a wallet for a credential (decision 0037).
 */
import {
  decodeCredentialLink,
  httpStatusSource,
  offlineStatusSource,
  type LinkDecoder,
  type PinnedKey,
  type StatusSource,
} from '@credledger/verify';

import type { InputProblem } from './messages.js';

export interface PageConfig {
  readonly statusApi?: string;
  readonly trustList?: string;
  readonly governanceKeys?: readonly PinnedKey[];
  /** Base URL (relative to the page) of an OpenID4VP verifier: `POST <it>/oid4vp/requests` and so on. */
  readonly presentationVerifier?: string;
}

export interface LoadedSource {
  readonly source: StatusSource;
  readonly decodeLink: LinkDecoder;
  /** Signed files to fall back on when `source` (the API) cannot be reached; only with pinned keys. */
  readonly fallback?: StatusSource;
  /** Base URL of the `credledger serve` API (no trailing slash), when the page uses one. */
  readonly apiBase?: string;
  /**
   * Fetches the signed files a fallback would need for `jwt` (the trust list and the status lists the
   * credential names), so the service worker keeps copies for a later visit without a network.
   */
  readonly keepFallbackCopies: (jwt: string) => void;
}

/** Turns the QR codec's answer into the pipeline's link decoder (a failure becomes LINK_UNDECODABLE). */
const decodeLink: LinkDecoder = (link) => {
  const decoded = decodeCredentialLink(link);
  if ('jwt' in decoded) return decoded.jwt;
  throw new Error(decoded.error);
};

/**
 * A problem to tell the user before verifying: a link in a format this page does not know yet
 * (a newer dictionary) means "update the verifier", not "invalid".
 */
export function linkProblem(input: string): InputProblem | undefined {
  const decoded = decodeCredentialLink(input);
  return 'error' in decoded && decoded.error === 'UNSUPPORTED_FORMAT' ? 'UNKNOWN_FORMAT' : undefined;
}

async function fetchText(url: URL): Promise<string | undefined> {
  try {
    const response = await fetch(url, { redirect: 'error', credentials: 'omit' });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

function parseConfig(text: string | undefined): PageConfig {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The same-origin status list URLs a credential names (read before its signature is checked: only fetched). */
function statusListUrls(jwt: string, pageBase: URL): URL[] {
  try {
    const payload = JSON.parse(
      new TextDecoder().decode(
        Uint8Array.from(atob((jwt.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
      ),
    ) as { credentialStatus?: unknown };
    const entries = Array.isArray(payload.credentialStatus)
      ? (payload.credentialStatus as unknown[])
      : [payload.credentialStatus];
    return entries
      .map((entry) =>
        entry !== null && typeof entry === 'object'
          ? (entry as { statusListCredential?: unknown }).statusListCredential
          : undefined,
      )
      .filter((url): url is string => typeof url === 'string')
      .map((url) => new URL(url, pageBase))
      .filter((url) => url.origin === pageBase.origin);
  } catch {
    return [];
  }
}

function listSource(config: PageConfig, trustList: string): StatusSource {
  return offlineStatusSource({
    trustList,
    governanceKeys: Array.isArray(config.governanceKeys) ? config.governanceKeys : [],
    // Status lists are fetched where credentials say they are; same-origin only under the page's CSP.
    statusLists: async (url) => {
      try {
        return await fetchText(new URL(url));
      } catch {
        return undefined;
      }
    },
  });
}

/** Reads `config.json` beside the page; none, or one that is no JSON object, is `{}`. */
export async function loadPageConfig(pageBase: URL): Promise<PageConfig> {
  return parseConfig(await fetchText(new URL('config.json', pageBase)));
}

/**
 * The base URL (no trailing slash) of the verifier the page may ask wallets through, when its config
 * names one; else undefined, and the page offers no request from a wallet.
 */
export function presentationVerifierOf(config: PageConfig, pageBase: URL): string | undefined {
  if (typeof config.presentationVerifier !== 'string') return undefined;
  try {
    return new URL(config.presentationVerifier, pageBase).href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Builds the status source the page's config names. Without a usable config the page looks for the
 * signed files; with neither, every verdict is UNVERIFIABLE with a reason.
 */
export async function loadStatusSource(pageBase: URL, config: PageConfig): Promise<LoadedSource> {
  const trustListUrl = new URL(config.trustList ?? 'trust-list.jwt', pageBase);
  if (typeof config.statusApi === 'string') {
    const apiBase = new URL(config.statusApi, pageBase).href.replace(/\/+$/, '');
    const source = httpStatusSource({ baseUrl: apiBase });
    if (!Array.isArray(config.governanceKeys) || config.governanceKeys.length === 0) {
      return { source, decodeLink, apiBase, keepFallbackCopies: () => undefined };
    }
    // The trust list is read only when the fallback is needed: the API is the usual answer.
    let loaded: Promise<StatusSource> | undefined;
    const fallbackSource = (): Promise<StatusSource> => {
      loaded ??= fetchText(trustListUrl).then((text) => {
        if (text === undefined) loaded = undefined; // not reachable now: ask again next time
        return listSource(config, text ?? '');
      });
      return loaded;
    };
    const lazyFallback: StatusSource = {
      kind: 'offline',
      getIssuer: async (did, now) => (await fallbackSource()).getIssuer(did, now),
      getStatus: async (request) => (await fallbackSource()).getStatus(request),
    };
    return {
      source,
      decodeLink,
      apiBase,
      fallback: lazyFallback,
      keepFallbackCopies: (jwt) => {
        for (const url of [trustListUrl, ...statusListUrls(jwt, pageBase)]) void fetchText(url);
      },
    };
  }
  const trustList = (await fetchText(trustListUrl)) ?? '';
  return { source: listSource(config, trustList), decodeLink, keepFallbackCopies: () => undefined };
}
