/**
 * What opening an embedded ledger loads of fabric-shim (shim.ts): the shim's stub, contract dispatcher
 * and the protobuf namespaces its transactions use, and not winston (the shim's loggers are no-op
 * modules of their own) nor the namespaces of services the embedded peer never calls (discovery, the
 * orderer's, gossip, the gateway's, the transient store's). Checked in a child Node, whose module cache
 * is Node's own: a real ledger created in a temporary folder, the governance initialised through the
 * chaincode, an issuer asked for and not found, then the files the process loaded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { runReporting } from './child-modules.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const child = `
import { openLedger, Registry } from '@credledger/ledger';

const network = await openLedger({ backend: 'embedded', directory: process.argv[1], create: true });
let lookup;
try {
  await new Registry(await network.connect('NdcMSP/admin')).init({ governanceMspIds: ['NdcMSP'] });
  lookup = await new Registry(await network.connect('MojMSP/auditor')).getIssuer('did:web:moj.gov.tw').then(
    () => 'found',
    (error) => error.code,
  );
} finally {
  await network.close();
}
const listeners = ['uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
report({ lookup, listeners });
`;

interface ChildReport {
  readonly lookup: string;
  readonly listeners: number[];
}

describe('what an embedded ledger loads of fabric-shim', () => {
  it('runs the chaincode without loading winston or the protos of services it never calls', async () => {
    const root = await mkdtemp(join(tmpdir(), 'credledger-shim-loads-'));
    let report: ChildReport & { files: string[] };
    try {
      report = await runReporting<ChildReport>(child, packageDir, [join(root, 'ledger')]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    expect(report.lookup).toBe('ISSUER_NOT_FOUND');
    expect(report.listeners).toEqual([0, 0]);
    const files = report.files;
    const protos = (namespace: string): string[] =>
      files.filter((file) => file.includes(`/@hyperledger/fabric-protos/lib/${namespace}/`));
    expect(files.some((file) => file.endsWith('/fabric-shim/lib/stub.js'))).toBe(true);
    for (const used of ['common', 'peer', 'msp', 'ledger']) expect(protos(used).length).toBeGreaterThan(0);
    for (const unused of ['discovery', 'orderer', 'gossip', 'gateway', 'transientstore'])
      expect({ unused, files: protos(unused) }).toEqual({ unused, files: [] });
    const winston = files.filter((file) => file.includes('/node_modules/winston/'));
    expect(winston).toEqual([]);
  });
});
