/**
 * The signed files an issuer published (`credledger status-list publish --out`, `credledger trust-list
 * export`): `status/<issuer>/<purpose>[/<n>]`, `status/<issuer>/sl2021/<purpose>[/<n>]`,
 * `status/<issuer>/token[/<n>]` and `trust-list.*`, served as their publisher wrote them.
 * Read on each request, so a republish shows without a restart.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import { STATUS_LIST_TOKEN_MEDIA_TYPE } from '@credledger/verify';
import { STATUS_LIST_TOKEN_TYP } from '@credledger/verify/formats';

import { JSON_TYPE, type Answer } from './answer.js';
import { HttpError } from './http-error.js';

export class PublishedFiles {
  private readonly root: string | undefined;

  /** Without a root nothing is published: every path answers NOT_FOUND. */
  constructor(root: string | undefined) {
    this.root = root === undefined ? undefined : resolve(root);
  }

  /**
   * The file at `relativePath` (decoded segments joined by `/`), or the same with `.json` or `.jwt`.
   * Fails: NOT_FOUND.
   */
  async answer(relativePath: string): Promise<Answer> {
    for (const candidate of [relativePath, `${relativePath}.json`, `${relativePath}.jwt`]) {
      const body = await this.read(candidate);
      if (body) return publishedAnswer(candidate, body);
    }
    throw new HttpError('NOT_FOUND', `nothing is published at ${relativePath}`);
  }

  private async read(relativePath: string): Promise<Buffer | undefined> {
    if (!this.root) return undefined;
    const segments = relativePath.split('/');
    // Each segment is one decoded path segment: nothing may climb out of the published directory.
    if (
      segments.some(
        (s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes(sep) || s.startsWith('.'),
      )
    ) {
      return undefined;
    }
    const path = join(this.root, ...segments);
    if (!path.startsWith(this.root + sep)) return undefined;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return readFile(path);
  }
}

/**
 * JSON if the file parses as JSON, else a JWT served by its header `typ`: an IETF Status List Token
 * (`statuslist+jwt`) as `application/statuslist+jwt`, as the Token Status List asks; any other (the
 * Bitstring and Status List 2021 list credentials, the trust list: `typ: vc+jwt`) as `application/vc+jwt`.
 */
function publishedAnswer(path: string, body: Buffer): Answer {
  const text = body.toString('utf8').trim();
  const isJson = path.endsWith('.json') || text.startsWith('{');
  return {
    status: 200,
    body,
    contentType: isJson
      ? JSON_TYPE
      : jwtTyp(text) === STATUS_LIST_TOKEN_TYP
        ? STATUS_LIST_TOKEN_MEDIA_TYPE
        : 'application/vc+jwt',
    headers: { 'Cache-Control': 'no-cache' },
    gzip: body.length > 256 ? gzipSync(body) : undefined,
  };
}

/** The `typ` of a compact JWS's header, if it has one. */
function jwtTyp(compact: string): unknown {
  const header = compact.slice(0, Math.max(0, compact.indexOf('.')));
  try {
    return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { typ?: unknown } | null)?.typ;
  } catch {
    return undefined;
  }
}
