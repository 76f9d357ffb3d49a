/**
 * The ledger behaviour suite against a real Fabric network, through `ledgers.fabric`. Runs when
 * `network/fabric.sh up && deploy` has written the connection files (network/out/<org>.json, or
 * CREDLEDGER_FABRIC_OUT), and skips with one line saying why otherwise. The credledger behaviours
 * need an initialised registry (not on the quick profile: one line says so); the raw-stub behaviours
 * need the fixture chaincode (`network/fabric.sh deploy-fixture`, which writes out/fixture.json).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CredledgerError } from '@credledger/verify';
import { createIssuer, type IssuedCredential } from '../src/issuer.js';
import { issuerKeyFromPrivateKey } from '../src/keys/issuer-key.js';
import { ledgers, Registry, type FabricLedger } from '@credledger/ledger';
import { loadConnectionProfile } from '@credledger/ledger-fabric';
import { statusIndexAllocators } from '../src/status/allocator.js';
import { lawyerSubject } from './credentials-samples.js';
import { orderersUnavailable, raftLeader, startNetwork, stopOrderer } from './fabric-orderers.js';
import { testPrivateKey } from './fixtures/keys.js';
import {
  ledgerSuite,
  type CredledgerSuiteContext,
  type LedgerSuiteBackend,
  type LedgerSuiteContext,
} from './ledger-suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.CREDLEDGER_FABRIC_OUT ?? resolve(here, '../../../network/out');
const orgs = ['ndc', 'moj', 'moea'] as const;
type Org = (typeof orgs)[number];
const profileOf = (org: Org): string => join(outDir, `${org}.json`);
const missing = orgs.filter((org) => !existsSync(profileOf(org)));
const fixtureFile = join(outDir, 'fixture.json');
const leaderStopTitle =
  'a batch completes with exactly N credentials committed when the Raft leader is stopped in the middle of it';

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
    `fabric-network: skipped (the ledger suite and the Raft leader-stop test), no Fabric network (${missing.map(profileOf).join(', ')} missing; run network/fabric.sh up && network/fabric.sh deploy)`,
  );
  describe.skip('Fabric backend on a real network', () => {
    it('needs network/out', () => undefined);
    it(`${leaderStopTitle} (needs a network run by network/fabric.sh up && deploy)`, () => undefined);
  });
} else {
  const initialised = await registryInitialised();
  ledgerSuite('fabric', backend(initialised));

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

  /**
   * Issue 18: with the Raft leader stopped, submits in the next seconds failed (connection refused,
   * SERVICE_UNAVAILABLE, DEADLINE_EXCEEDED). Now the batch goes on by itself: its transactions are
   * sent again until a new leader takes them, and none is committed twice. The leader is stopped once
   * the batch's first transaction has committed, with more in flight behind it; the network is brought
   * back (`network/fabric.sh up`) afterwards.
   */
  const leaderStopUnavailable = initialised
    ? orderersUnavailable(outDir)
    : 'the registry is not initialised (NOT_INITIALIZED; the quick profile cannot run Init)';
  if (leaderStopUnavailable !== undefined) {
    console.log(`fabric-network: leader-stop test skipped: ${leaderStopUnavailable}`);
    describe.skip('Raft leader stopped in the middle of a batch', () => {
      it(`${leaderStopTitle} (skipped: ${leaderStopUnavailable})`, () => undefined);
    });
  } else {
    describe('Raft leader stopped in the middle of a batch', () => {
      const N = 6_000;
      const run = randomUUID().replaceAll('-', '').slice(0, 12);
      const issuerDid = `did:web:moj.gov.tw:leader-stop:${run}`;
      const key = issuerKeyFromPrivateKey(testPrivateKey('es256'), `${issuerDid}#key-1`);
      const opened: FabricLedger[] = [];
      let stopped: number | undefined;

      afterAll(async () => {
        await closeAll(opened);
        if (stopped !== undefined) startNetwork(outDir);
      }, 15 * 60_000);

      it(
        leaderStopTitle,
        async () => {
          const [ndc, moj] = [await open('ndc'), await open('moj')];
          opened.push(ndc, moj);
          await new Registry(ndc).registerIssuer({
            did: issuerDid,
            mspId: moj.identity.mspId,
            name: { 'zh-TW': `領導者停止測試 ${run}`, en: `Leader stop test ${run}` },
            credentialTypes: ['LawyerLicenceCredential'],
            keys: [{ kid: key.kid, publicKeyJwk: key.publicKeyJwk, validFrom: '2020-01-01T00:00:00.000Z' }],
          });
          const leader = raftLeader(outDir);
          const registry = new Registry(moj);
          const issuer = createIssuer({
            registry,
            issuerDid,
            key,
            statusAllocator: statusIndexAllocators.inMemory(),
            statusBaseUrl: 'https://verify.gov.tw',
            // Small transactions, three in flight: several are on their way when the leader stops.
            anchorBatchSize: 500,
          });
          const committedTxIds: string[] = [];
          let issued: IssuedCredential[];
          try {
            const subjects = Array.from({ length: N }, (_, i) => ({
              ...lawyerSubject,
              licenceNumber: `(115)台檢證字第${String(i + 1).padStart(6, '0')}號`,
            }));
            issued = await issuer.issueBatch('LawyerLicenceCredential', subjects, {
              onAnchored: async (_credentials, receipt) => {
                committedTxIds.push(receipt.txId);
                if (stopped === undefined) {
                  stopped = leader;
                  await stopOrderer(outDir, leader);
                }
              },
            });
          } finally {
            await issuer.close();
          }

          expect(stopped).toBe(leader);
          expect(issued).toHaveLength(N);
          expect(new Set(committedTxIds).size).toBe(Math.ceil(N / 500));
          // Exactly N on the ledger: each once, with the digest of the credential handed back.
          const onLedger = new Map<string, string>();
          for await (const record of registry.credentialsByIssuer(issuerDid, { pageSize: 1_000 })) {
            expect(onLedger.has(record.id)).toBe(false);
            onLedger.set(record.id, record.digest);
          }
          expect(onLedger.size).toBe(N);
          for (const credential of issued) expect(onLedger.get(credential.id)).toBe(credential.digest);
          // A new leader took over from the stopped one.
          expect(raftLeader(outDir)).not.toBe(leader);
        },
        15 * 60_000,
      );
    });
  }
}
