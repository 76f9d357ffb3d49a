/**
 * docs/data-model.md fixes the wire contract in prose and docs/openapi.yaml describes the HTTP API; the
 * vocabulary is their code. They say the same: the roles, both status lists, every reason code (with
 * its zh-TW words in data-model.md), and the chaincode's error codes.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import {
  chaincodeErrorCodes,
  credentialStatuses,
  issuerStatuses,
  reasonCodes,
  reasonLabels,
  roleAttribute,
  roles,
} from '../src/index.js';

const docs = join(dirname(fileURLToPath(import.meta.url)), '../../../docs');
const doc = readFileSync(join(docs, 'data-model.md'), 'utf8');
const openapi = readFileSync(join(docs, 'openapi.yaml'), 'utf8');

/** The items of a YAML flow sequence `[A, B, …]` (on one line or several). */
const items = (sequence: string | undefined): string[] =>
  (sequence ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The text from `start` up to (not including) `end`. */
function between(start: string, end: string): string {
  const from = doc.indexOf(start);
  expect(from).toBeGreaterThanOrEqual(0);
  const to = doc.indexOf(end, from + start.length);
  expect(to).toBeGreaterThan(from);
  return doc.slice(from + start.length, to);
}

describe('docs/data-model.md and the vocabulary', () => {
  it('name the same roles, in the same attribute', () => {
    const rows = [...doc.matchAll(/^\| `([\w.]+)` \| `([\w-]+)` \|/gm)];
    expect(rows.map((row) => row[1])).toEqual(roles.map(() => roleAttribute));
    expect(rows.map((row) => row[2])).toEqual([...roles]);
  });

  it('list the same issuer and credential statuses', () => {
    expect(between('Issuer status: `', '`.').split(' | ')).toEqual([...issuerStatuses]);
    const credential = /"status": ("[A-Z]+"(?: \| "[A-Z]+")+)/.exec(between('CredentialRecord', '```\n'));
    expect(credential?.[1]?.split(' | ')).toEqual(credentialStatuses.map((s) => `"${s}"`));
  });

  it('list the same reason codes, with the same zh-TW words', () => {
    const listed = [...between('Reason codes: ', '\n\n').matchAll(/`([A-Z_]+)` \(([^)—]+?)(?: —[^)]*)?\)/g)];
    expect(listed.map((match) => match[1])).toEqual([...reasonCodes]);
    expect(listed.map((match) => match[2])).toEqual(reasonCodes.map((code) => reasonLabels[code]['zh-TW']));
  });

  it('list the same chaincode error codes', () => {
    const listed = [...between('Chaincode codes: ', ' (an anchor').matchAll(/`([A-Z_]+)`/g)];
    expect(listed.map((match) => match[1])).toEqual([...chaincodeErrorCodes]);
  });

  it('agree with docs/openapi.yaml on both status lists and the reason codes', () => {
    const schema = (name: string): string =>
      openapi.slice(openapi.indexOf(`    ${name}:\n`)).split(/\n {4}\S/)[0] ?? '';
    const status = (name: string): string[] =>
      items(/\n {8}status: \{ type: string, enum: \[([^\]]*)\]/.exec(schema(name))?.[1]);
    expect(status('CredentialRecord')).toEqual([...credentialStatuses]);
    expect(status('IssuerRecord')).toEqual([...issuerStatuses]);
    expect(items(/\n {8}reason:[\s\S]*?enum:\s*\[([^\]]*)\]/.exec(schema('CredentialRecord'))?.[1])).toEqual([
      ...reasonCodes,
    ]);
  });
});
