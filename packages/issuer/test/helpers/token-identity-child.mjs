// Acts on embedded ledgers as organisation identities whose keys are in a SoftHSM token, in a process
// of its own (SoftHSM reads SOFTHSM2_CONF from the real environment, which a jest test cannot set), and
// prints what the chaincode saw as one JSON line. Uses the built packages (`npm test` builds first).
// Usage: node token-identity-child.mjs '{"module","token","pin","directory"}'
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import * as gateway from '@hyperledger/fabric-gateway';

import { openToken } from '../../../pkcs11/dist/index.js';
import { ledgers, Registry } from '@credledger/ledger';
import { loadLedgerSigner } from '@credledger/ledger-fabric';

const { module, token: label, pin, directory } = JSON.parse(process.argv[2] ?? '{}');
const fixtureContracts = async () => createRequire(import.meta.url)('../fixtures/test-chaincode.cjs').contracts;

const token = await openToken({ module, label, pin });
const governanceKey = await token.generateKey('ndc-governance');
const auditorKey = await token.generateKey('ndc-auditor');
const operatorKey = await token.generateKey('moj-operator');

/** What an error says: its code and message, or null. */
async function outcome(run) {
  try {
    await run();
    return null;
  } catch (error) {
    return { code: error.code, message: error.message };
  }
}

// The credledger chaincode: the governance administrator's key is in the token.
const credledger = await ledgers.embedded({ directory: join(directory, 'credledger') });
const governanceCertificate = await credledger.certify({
  mspId: 'NdcMSP',
  name: 'hsm-admin',
  role: 'governance-admin',
  publicKeyJwk: governanceKey.publicKeyJwk,
});
const governance = new Registry(
  credledger.connect({ mspId: 'NdcMSP', certificate: governanceCertificate, ledgerSigner: governanceKey.ledgerSigner }),
);
await governance.init({ governanceMspIds: ['NdcMSP'] });
const registered = await governance.registerIssuer({
  did: 'did:web:moj.gov.tw',
  mspId: 'MojMSP',
  name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
  credentialTypes: ['LawyerLicenceCredential'],
  keys: [{ kid: 'did:web:moj.gov.tw#key-1', publicKeyJwk: operatorKey.publicKeyJwk }],
});
// A member without the governance role, also in the token, is refused by the chaincode's access rules.
const auditorCertificate = await credledger.certify({
  mspId: 'NdcMSP',
  name: 'hsm-auditor',
  role: 'auditor',
  publicKeyJwk: auditorKey.publicKeyJwk,
});
const auditor = new Registry(
  credledger.connect({ mspId: 'NdcMSP', certificate: auditorCertificate, ledgerSigner: auditorKey.ledgerSigner }),
);
const refused = await outcome(() => auditor.setIssuerStatus({ did: 'did:web:moj.gov.tw', status: 'SUSPENDED' }));
// A certificate the organisation's CA never issued (a token key certified by another organisation's CA
// under this one's name) is refused by the peer before any chaincode runs.
const foreign = await outcome(() =>
  new Registry(
    credledger.connect({
      mspId: 'MojMSP',
      certificate: governanceCertificate,
      ledgerSigner: governanceKey.ledgerSigner,
    }),
  ).listIssuers(),
);
const chain = await credledger.verifyChain();
await credledger.close();

// The fixture chaincode returns what the stub and ctx.clientIdentity say of the submitter.
const fixture = await ledgers.embedded({
  directory: join(directory, 'fixture'),
  chaincodeName: 'fixture',
  contracts: fixtureContracts,
});
const operatorCertificate = await fixture.certify({
  mspId: 'MojMSP',
  name: 'hsm-operator',
  role: 'issuer-operator',
  publicKeyJwk: operatorKey.publicKeyJwk,
});
const committed = await fixture
  .connect({ mspId: 'MojMSP', certificate: operatorCertificate, ledgerSigner: operatorKey.ledgerSigner })
  .submit('TxInfo');
await fixture.close();
await token.close();

// The same key through fabric-gateway's own HSM signer (pkcs11js, found by CKA_ID = SHA-256 of the
// public point), as a Fabric connection file's `identity.hsm` uses it; the embedded ledger takes it as
// it is. fabric-gateway initialises the module itself, so @credledger/pkcs11 closed it first.
const fabricFixture = await ledgers.embedded({
  directory: join(directory, 'fixture'),
  chaincodeName: 'fixture',
  contracts: fixtureContracts,
});
const certPath = join(directory, 'hsm-operator.pem');
await writeFile(certPath, operatorCertificate);
const hsm = await loadLedgerSigner({ certPath, hsm: { library: module, label, pinEnv: 'TOKEN_PIN' } }, gateway, {
  TOKEN_PIN: pin,
});
const viaGateway = await fabricFixture
  .connect({ mspId: 'MojMSP', certificate: hsm.certificate, ledgerSigner: hsm.ledgerSigner })
  .submit('TxInfo');
hsm.close();
await fabricFixture.close();

process.stdout.write(
  `${JSON.stringify({
    governanceCertificate,
    operatorCertificate,
    operatorKey: operatorKey.publicKeyJwk,
    registered: { did: registered.did, status: registered.status },
    refused,
    foreign,
    chain: { ok: chain.ok, problems: chain.problems },
    viaGateway: {
      blockNumber: viaGateway.blockNumber.toString(),
      ...JSON.parse(Buffer.from(viaGateway.payload).toString('utf8')),
    },
    txInfo: {
      blockNumber: committed.blockNumber.toString(),
      txId: committed.txId,
      ...JSON.parse(Buffer.from(committed.payload).toString('utf8')),
    },
  })}\n`,
);
