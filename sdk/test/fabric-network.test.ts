/**
 * The ledger behaviour suite against a real Fabric network, through `ledgers.fabric`. Runs when
 * `network/fabric.sh up && deploy` has written the connection files (network/out/<org>.json, or
 * CREDLEDGER_FABRIC_OUT), and skips with one line saying why otherwise. The credledger behaviours
 * need an initialised registry (not on the quick profile: one line says so); the raw-stub behaviours
 * need the fixture chaincode (`network/fabric.sh deploy-fixture`, which writes out/fixture.json).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CredledgerError } from '@credledger/verify';
import { loadConnectionProfile } from '../src/ledger/fabric-connection-profile.js';
import type { FabricLedger } from '../src/ledger/fabric.js';
import { ledgers } from '../src/ledger/index.js';
import { Registry } from '../src/registry.js';
import {
  ledgerSuite,
  type CredledgerSuiteContext,
  type LedgerSuiteBackend,
  type LedgerSuiteContext,
} from './ledger-suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.CREDLEDGER_FABRIC_OUT ?? resolve(here, '../../network/out');
const orgs = ['ndc', 'moj', 'moea'] as const;
type Org = (typeof orgs)[number];
const profileOf = (org: Org): string => join(outDir, `${org}.json`);
const missing = orgs.filter((org) => !existsSync(profileOf(org)));
const fixtureFile = join(outDir, 'fixture.json');

/**
 * Opens an organisation's application identity; with `chaincode`, on that chaincode instead of the
 * profile's, endorsed by the organisation's own peer only: the fixture reports which peer ran it, and
 * the raw-stub behaviours mean "submitted through my peer" (left to its plan, the Gateway would also
 * ask the owner of a key with a key-level policy to endorse, and §10.21 could never fail validation).
 */
async function open(org: Org, chaincode?: string): Promise<FabricLedger> {
  const profile = await loadConnectionProfile(profileOf(org));
  if (chaincode === undefined) return ledgers.fabric({ profile });
  return ledgers.fabric({ profile: { ...profile, chaincode }, endorsingOrganizations: [profile.mspId] });
}

async function closeAll(opened: readonly FabricLedger[]): Promise<void> {
  for (const ledger of opened) await ledger.close();
}

/** The PEM of the CA beside an identity's certificate (`msp/signcerts/cert.pem` → `msp/cacerts/*.pem`). */
async function caOf(org: Org): Promise<string> {
  const profile = await loadConnectionProfile(profileOf(org));
  const cacerts = join(dirname(dirname(profile.identity.certPath)), 'cacerts');
  const [first] = (await readdir(cacerts)).filter((name) => name.endsWith('.pem')).sort();
  return first === undefined ? '' : readFile(join(cacerts, first), 'utf8');
}

/**
 * Whether `deploy` ran Init: the quick profile's identities carry no roles, so there it cannot, and
 * every credledger transaction answers NOT_INITIALIZED. Asked once, by reading an unknown credential
 * (CREDENTIAL_NOT_FOUND when initialised); any other failure is the network's and fails the run.
 */
async function registryInitialised(): Promise<boolean> {
  const moj = await open('moj');
  try {
    await new Registry(moj).getCredential('urn:uuid:00000000-0000-4000-8000-000000000000');
    return true;
  } catch (error) {
    if (error instanceof CredledgerError && error.code === 'NOT_INITIALIZED') return false;
    if (error instanceof CredledgerError && error.code === 'CREDENTIAL_NOT_FOUND') return true;
    throw error;
  } finally {
    await moj.close();
  }
}

const credledger = async (): Promise<CredledgerSuiteContext> => {
  // `network/fabric.sh deploy` ran Init with NdcMSP as the governance organisation.
  const [ndc, moj, moea] = await Promise.all(orgs.map((org) => open(org)));
  if (!ndc || !moj || !moea) throw new Error('could not open the organisations');
  const operators = { a: moj, b: moea };
  return {
    governance: ndc,
    a: { ledger: moj, mspId: moj.identity.mspId },
    b: { ledger: moea, mspId: moea.identity.mspId },
    endorse: (who, name, ...args) => operators[who].endorse(name, ...args),
    chaincodeName: (await loadConnectionProfile(profileOf('moj'))).chaincode,
    close: () => closeAll([ndc, moj, moea]),
  };
};

/** What `network/fabric.sh deploy-fixture` wrote about the fixture chaincode. */
const readFixture = (): { chaincode: string; totalQueryLimit: number; roles: boolean } =>
  JSON.parse(readFileSync(fixtureFile, 'utf8')) as { chaincode: string; totalQueryLimit: number; roles: boolean };

const backend = (initialised: boolean): LedgerSuiteBackend => ({
  credledger: initialised
    ? credledger
    : {
        unavailable:
          'the registry is not initialised (NOT_INITIALIZED; the quick profile, FABRIC_CRYPTO=cryptogen, cannot run Init: its identities carry no roles)',
      },
  fixture: existsSync(fixtureFile)
    ? {
        // A Fabric peer's history database is a peer setting: the suite cannot start one without it.
        capabilities: { totalQueryLimit: readFixture().totalQueryLimit, peerWithoutHistory: false },
        open: async (): Promise<LedgerSuiteContext> => {
          const fixture = readFixture();
          const moj = await open('moj', fixture.chaincode);
          const moea = await open('moea', fixture.chaincode);
          const cas = new Map([
            [moj.identity.mspId, await caOf('moj')],
            [moea.identity.mspId, await caOf('moea')],
          ]);
          // Identities from Fabric CA carry the role attribute; cryptogen's carry none.
          const role = fixture.roles ? 'issuer-operator' : null;
          const by = { a: moj, b: moea };
          return {
            a: { ledger: moj, mspId: moj.identity.mspId, role },
            b: { ledger: moea, mspId: moea.identity.mspId, role },
            endorse: (who, name, ...args) => by[who].endorse(name, ...args),
            caCertificate: (mspId) => cas.get(mspId) ?? '',
            chaincodeName: fixture.chaincode,
            totalQueryLimit: fixture.totalQueryLimit,
            close: () => closeAll([moj, moea]),
          };
        },
      }
    : {
        unavailable: `no fixture chaincode on the network (${fixtureFile} missing; run network/fabric.sh deploy-fixture)`,
      },
});

if (missing.length > 0) {
  console.log(
    `fabric-network: skipped, no Fabric network (${missing.map(profileOf).join(', ')} missing; run network/fabric.sh up && network/fabric.sh deploy)`,
  );
  describe.skip('Fabric backend on a real network', () => {
    it('needs network/out', () => undefined);
  });
} else {
  ledgerSuite('fabric', backend(await registryInitialised()));

  describe('Fabric backend on a real network', () => {
    const opened = new Map<Org, FabricLedger>();
    beforeAll(async () => {
      for (const org of orgs) opened.set(org, await open(org));
    });
    afterAll(async () => {
      await closeAll([...opened.values()]);
    });

    it('each organisation reads the deployed chaincode through its own peer', async () => {
      for (const org of orgs) {
        const ledger = opened.get(org);
        if (!ledger) throw new Error(`no ledger for ${org}`);
        const metadata = JSON.parse(
          Buffer.from(await ledger.evaluate('org.hyperledger.fabric:GetMetadata')).toString('utf8'),
        ) as {
          contracts: Record<string, unknown>;
        };
        expect(Object.keys(metadata.contracts)).toEqual(
          expect.arrayContaining(['CredentialContract', 'IssuerRegistryContract']),
        );
        expect(ledger.identity.mspId).toBe({ ndc: 'NdcMSP', moj: 'MojMSP', moea: 'MoeaMSP' }[org]);
      }
    });
  });
}
