/**
 * Where the page gets issuer and status data, from `config.json` beside the page:
 *
 *   { "statusApi": "." }                        a `credledger serve` (its base URL, relative to the page)
 *   { "trustList": "trust-list.jwt",            signed files beside the page (static hosting):
 *     "governanceKeys": [ { "kid", "publicKeyJwk" } ] }   the pinned keys the trust list must be signed with
 *
 * `credledger serve` answers `config.json` itself with `{ "statusApi": "." }`.
 */
import {
  decodeCredentialLink,
  httpStatusSource,
  offlineStatusSource,
  type LinkDecoder,
  type PinnedKey,
  type StatusSource,
} from '@credledger/sdk/verify';

import type { InputProblem } from './messages.js';

export interface PageConfig {
  readonly statusApi?: string;
  readonly trustList?: string;
  readonly governanceKeys?: readonly PinnedKey[];
}

export interface LoadedSource {
  readonly source: StatusSource;
  readonly decodeLink: LinkDecoder;
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
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value) : {};
  } catch {
    return {};
  }
}

/**
 * Reads `config.json` beside the page and builds the status source it names. Without a usable config
 * the page looks for the signed files; with neither, every verdict is UNVERIFIABLE with a reason.
 */
export async function loadStatusSource(pageBase: URL): Promise<LoadedSource> {
  const config = parseConfig(await fetchText(new URL('config.json', pageBase)));
  if (typeof config.statusApi === 'string') {
    return { source: httpStatusSource({ baseUrl: new URL(config.statusApi, pageBase).href }), decodeLink };
  }
  const trustList = (await fetchText(new URL(config.trustList ?? 'trust-list.jwt', pageBase))) ?? '';
  const source = offlineStatusSource({
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
  return { source, decodeLink };
}
