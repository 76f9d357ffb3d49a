/**
 * The Fabric backend against a real network: runs when `network/fabric.sh up && deploy` has
 * written the connection files (network/out/<org>.json, or CREDLEDGER_FABRIC_OUT), and skips with
 * one line saying why otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { checkpointers } from '../src/ledger/checkpointer.js';
import { openFabricLedger, type FabricLedger } from '../src/ledger/fabric.js';
import type { Ledger } from '../src/ledger/ledger.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.CREDLEDGER_FABRIC_OUT ?? resolve(here, '../../network/out');
const orgs = ['ndc', 'moj', 'moea'] as const;
const profileOf = (name: string): string => join(outDir, `${name}.json`);
const missing = orgs.filter((org) => !existsSync(profileOf(org)));
const available = missing.length === 0;

if (!available) {
  console.log(`fabric-network: skipped, no Fabric network (${missing.map(profileOf).join(', ')} missing; run network/fabric.sh up && network/fabric.sh deploy)`);
}

const describeWithNetwork = available ? describe : describe.skip;

describeWithNetwork('Fabric backend on a real network', () => {
  const ledgers = new Map<string, FabricLedger>();

  beforeAll(async () => {
    for (const org of orgs) ledgers.set(org, await openFabricLedger({ profile: profileOf(org), idempotentTransactions: ['IssueCredentials'] }));
  });

  afterAll(async () => {
    for (const ledger of ledgers.values()) await ledger.close();
  });

  const ledger = (org: (typeof orgs)[number]): FabricLedger => {
    const found = ledgers.get(org);
    if (!found) throw new Error(`no ledger for ${org}`);
    return found;
  };

  it('each organisation reads the deployed chaincode through its own peer', async () => {
    for (const org of orgs) {
      const metadata = JSON.parse(Buffer.from(await ledger(org).evaluate('org.hyperledger.fabric:GetMetadata')).toString('utf8')) as {
        contracts: Record<string, unknown>;
      };
      expect(Object.keys(metadata.contracts).length).toBeGreaterThan(1);
      expect(ledger(org).identity.mspId).toBe({ ndc: 'NdcMSP', moj: 'MojMSP', moea: 'MoeaMSP' }[org]);
    }
  });

  it('maps a failing chaincode call from a real peer', async () => {
    await expect(ledger('moj').evaluate('NoSuchTransaction')).rejects.toMatchObject({ code: 'CHAINCODE_ERROR', details: { phase: 'evaluate' } });
  });

  it('replays chaincode events from the first block with a file checkpoint', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'credledger-fabric-events-')), 'checkpoint.json');
    const checkpointer = await checkpointers.file(path);
    const controller = new AbortController();
    const seen: bigint[] = [];
    // Deploy's Init is the first chaincode transaction; any event since then proves the stream works.
    const timer = setTimeout(() => {
      controller.abort();
    }, 3_000);
    for await (const event of ledger('ndc').events({ startBlock: 0n, checkpointer, signal: controller.signal })) {
      seen.push(event.blockNumber);
      if (seen.length >= 2) break;
    }
    clearTimeout(timer);
    const sorted = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(seen).toEqual(sorted);
  });

  /**
   * The shared ledger behaviour suite, when it exists: `sdk/test/ledger-suite.ts` exporting
   * `ledgerSuite(backend, open)` where `open(org)` gives a connected `Ledger` for `ndc | moj | moea`.
   */
  const suiteFile = join(here, 'ledger-suite.ts');
  if (existsSync(suiteFile)) {
    describe('ledger behaviour suite', () => {
      it('is wired to the Fabric backend', async () => {
        const specifier = './ledger-suite.js';
        const suite = (await import(specifier)) as { ledgerSuite?: unknown };
        expect(typeof suite.ledgerSuite).toBe('function');
      });
    });
  }
});

/** Opens an organisation's Fabric ledger; what the ledger behaviour suite calls. */
export async function openNetworkLedger(org: string): Promise<Ledger> {
  return openFabricLedger({ profile: profileOf(org) });
}
