/**
 * An answer the server sends: status, body, media type and its own headers, with an optional gzip copy
 * and ETag. Routes return answers; {@link sendAnswer} puts the kind's policy headers on them.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

import type { HeaderPolicy, AnswerKind } from './headers.js';
import type { HttpError } from './http-error.js';
import { jsonBody } from './json-body.js';

export interface Answer {
  readonly status: number;
  readonly body: Buffer | string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly etag?: string;
  readonly gzip?: Buffer | undefined;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer (one line, see json-body.ts). */
export function json(status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): Answer {
  return { status, body: jsonBody(value), contentType: JSON_TYPE, headers };
}

/** `{ "error": { "code", "message" } }`, never stored by a cache. */
export function errorAnswer(error: HttpError): Answer {
  return json(
    error.status,
    { error: { code: error.code, message: error.message } },
    { ...error.headers, 'Cache-Control': 'no-store' },
  );
}

/**
 * Sends `answer` with the headers of its kind: 304 when the client holds its ETag, the gzip copy when the
 * client accepts it. A HEAD request gets the headers only (Fastify drops the body and keeps its length).
 */
export function sendAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: Answer,
  kind: AnswerKind,
  policy: HeaderPolicy,
): FastifyReply {
  const headers: Record<string, string> = { ...policy.headers(kind, request.headers.origin), ...answer.headers };
  headers['Content-Type'] = answer.contentType;
  if (answer.etag) {
    headers['ETag'] = answer.etag;
    if (request.headers['if-none-match'] === answer.etag) return reply.code(304).headers(headers).send();
  }
  // Fastify would add `; charset=utf-8` to a text body's media type; one without a charset
  // (application/did+json) is sent as it is, as bytes.
  let body =
    typeof answer.body === 'string' && !answer.contentType.includes('charset') ? Buffer.from(answer.body) : answer.body;
  if (answer.gzip) {
    headers['Vary'] = headers['Vary'] ? `${headers['Vary']}, Accept-Encoding` : 'Accept-Encoding';
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      headers['Content-Encoding'] = 'gzip';
      body = answer.gzip;
    }
  }
  return reply.code(answer.status).headers(headers).send(body);
}
