/**
 * What a server's start loads: Fastify, and not what its routes never use. No route declares a JSON
 * schema, so Fastify's schema compilers (ajv, fast-json-stringify) stay unloaded; web-did-resolver (with
 * cross-fetch and its URL polyfill) loads when a DID first falls back to HTTPS, not at the start. Checked
 * in a child Node, whose module cache is Node's own: the server started, answered a status and a DID
 * document request, and the files it loaded.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { runReporting } from '../../ledger-embedded/test/child-modules.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts a server over a registry that holds nothing, asks it twice, and prints its answers and loaded files. */
const child = `
import { startServer } from '@credledger/server';
import { CredledgerError } from '@credledger/verify';

const missing = (what) => () => Promise.reject(new CredledgerError(what, 'not in this registry'));
const registry = {
  getCredential: missing('CREDENTIAL_NOT_FOUND'),
  getIssuer: missing('ISSUER_NOT_FOUND'),
  listIssuers: () => Promise.resolve([]),
};
const server = await startServer({ registry, port: 0, rateLimit: false });
const answers = [];
try {
  for (const path of ['/api/v1/credentials/urn:uuid:6f1c2f43-8c1e-4d2a-9a57-0c3f5b1d2e01', '/api/v1/issuers/did:web:moj.gov.tw/did.json']) {
    const response = await fetch(server.url + path);
    answers.push({ status: response.status, code: (await response.json()).error?.code });
  }
} finally {
  await server.close();
}
report({ answers });
`;

describe('what a server loads to start', () => {
  it('loads Fastify without its schema compilers, and no HTTPS DID resolver before one is needed', async () => {
    const { answers, files } = await runReporting<{ answers: { status: number; code?: string }[] }>(child, packageDir);
    expect(answers).toEqual([
      { status: 404, code: 'CREDENTIAL_NOT_FOUND' },
      { status: 404, code: 'ISSUER_NOT_FOUND' },
    ]);
    const under = (folder: string): string[] => files.filter((file) => file.includes(`/node_modules/${folder}/`));
    expect(under('fastify').length).toBeGreaterThan(0);
    for (const folder of [
      '@fastify/ajv-compiler',
      '@fastify/fast-json-stringify-compiler',
      'ajv',
      'web-did-resolver',
      'cross-fetch',
    ]) {
      expect({ folder, files: under(folder) }).toEqual({ folder, files: [] });
    }
  });
});
