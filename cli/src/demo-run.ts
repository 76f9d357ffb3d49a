/**
 * The newcomer's tour in one command: a fresh workspace, the Ministry of Justice and the Ministry of
 * Economic Affairs registered as issuers, a lawyer licence and a company certificate issued, a second
 * licence issued and revoked, JWTs and QR PNGs written, and the printable documents (PDF) of the licence
 * and the certificate. Throwaway demo keys use a cheap scrypt cost.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { cliError } from './context.js';
import { writeCredentialDocument } from './document-output.js';
import { writePrivate } from './issue-one.js';
import { createIssuerKey, openStatusIndex } from './issuing.js';
import { identityKeys, type KeyPassphrase } from './passphrase.js';
import { initWorkspace } from './setup.js';
import { openLedgers, openWorkspace, saveConfig, withIssuer } from './workspace.js';

/** The samples the demo issues: realistic shapes, invented people and companies. */
export const demoSubjects = {
  lawyer: {
    name: '林怡君',
    nameEn: 'LIN Yi-Chun',
    licenceNumber: '(112)台檢證字第018273號',
    admissionDate: '2023-09-15',
    practiceStatus: 'practising',
    barMemberships: ['臺北律師公會'],
    lawFirm: '明德法律事務所',
  },
  revokedLawyer: {
    name: '陳建宏',
    licenceNumber: '(105)台檢證字第004411號',
    admissionDate: '2016-08-01',
    practiceStatus: 'not-practising',
  },
  company: {
    kind: 'company-registration',
    certificateNumber: '1150012345',
    companyName: '台灣示範科技股份有限公司',
    ubn: '04595257',
    issueDate: '2026-11-01',
    representative: '張志明',
    capital: 50000000,
    establishedDate: '2015-03-02',
    address: '臺北市中正區重慶南路一段122號',
  },
} as const;

export interface DemoCredential {
  readonly label: string;
  readonly id: string;
  readonly status: 'ACTIVE' | 'REVOKED';
  readonly jwtFile: string;
  readonly qrPng: string;
  readonly link: string;
  /** Its printable document (A4 PDF), for the credentials that have one in the demo. */
  readonly pdf?: string;
}

export interface DemoResult {
  readonly dir: string;
  readonly credentials: readonly DemoCredential[];
}

const marker = '.credledger-demo';

/** Prepares the demo folder: a new temp folder, or a given one that is empty or an earlier demo. */
async function demoDir(dir: string | undefined): Promise<string> {
  if (dir === undefined) return mkdtemp(join(tmpdir(), 'credledger-demo-'));
  const path = resolve(dir);
  if (existsSync(path) && (await readdir(path)).length > 0) {
    if (!existsSync(join(path, marker))) throw cliError('WORKSPACE_EXISTS', 'demoFolder', { dir: path });
    await rm(path, { recursive: true, force: true });
  }
  return path;
}

export interface DemoOptions {
  readonly dir?: string;
  readonly port: number;
  /** Base of the QR links and status list URLs, without a trailing slash (default http://localhost:<port>). */
  readonly publicUrl?: string;
  /** What encrypts the issuers' keys: the command's (`ctx.keyPassphrase`). */
  readonly keyPassphrase: KeyPassphrase;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dir = await demoDir(options.dir);
  // Throwaway keyrings: the cheapest scrypt cost keeps the demo to seconds.
  await initWorkspace({
    dir,
    backend: 'embedded',
    connections: [],
    port: options.port,
    identityKeys: identityKeys({ scryptLogN: 14 }),
  });
  await writeFile(join(dir, marker), 'created by `credledger demo`; rerunning the demo replaces this folder\n');
  let workspace = openWorkspace(dir);
  const [issuing, { Registry }, { encodeCredentialLink }] = await Promise.all([
    import('@credledger/issuer'),
    import('@credledger/ledger'),
    import('@credledger/verify/formats'),
  ]);
  // Throwaway keys: the cheapest scrypt cost the key store accepts keeps the demo to seconds.
  const mojKey = await createIssuerKey(workspace, options.keyPassphrase, 'did:web:moj.gov.tw', 'key-1', 'ES256', 14);
  const moeaKey = await createIssuerKey(workspace, options.keyPassphrase, 'did:web:moea.gov.tw', 'key-1', 'ES256', 14);
  workspace = openWorkspace(dir);
  const publicUrl = options.publicUrl ?? `http://localhost:${options.port}`;
  await saveConfig(
    dir,
    withIssuer(
      // The QR codes link to where a person can open the verifier (a phone: the LAN address).
      withIssuer(
        { ...workspace.config, verifierBaseUrl: `${publicUrl}/`, statusBaseUrl: publicUrl },
        'did:web:moj.gov.tw',
        {
          identity: 'MojMSP/operator',
          credentialTypes: ['LawyerLicenceCredential'],
        },
      ),
      'did:web:moea.gov.tw',
      {
        identity: 'MoeaMSP/operator',
        credentialTypes: ['EconomicCertificateCredential'],
      },
    ),
  );
  workspace = openWorkspace(dir);

  const credentials: DemoCredential[] = [];
  {
    await using ledgers = await openLedgers(workspace);
    const governance = new Registry(await ledgers.connect('NdcMSP/admin'));
    const mojName = { 'zh-TW': '法務部', en: 'Ministry of Justice' };
    const moeaName = { 'zh-TW': '經濟部', en: 'Ministry of Economic Affairs' };
    await governance.registerIssuer({
      did: 'did:web:moj.gov.tw',
      mspId: 'MojMSP',
      name: mojName,
      credentialTypes: ['LawyerLicenceCredential'],
      keys: [{ kid: mojKey.kid, publicKeyJwk: mojKey.publicKeyJwk }],
    });
    await governance.registerIssuer({
      did: 'did:web:moea.gov.tw',
      mspId: 'MoeaMSP',
      name: moeaName,
      credentialTypes: ['EconomicCertificateCredential'],
      keys: [{ kid: moeaKey.kid, publicKeyJwk: moeaKey.publicKeyJwk }],
    });

    await using allocator = openStatusIndex(workspace, issuing);
    const issue = async (
      issuerDid: string,
      identity: string,
      key: typeof mojKey,
      typeName: string,
      subject: Readonly<Record<string, unknown>>,
    ) => {
      const registry = new Registry(await ledgers.connect(identity));
      await using issuer = issuing.createIssuer({
        registry,
        issuerDid,
        key,
        statusAllocator: allocator,
        statusBaseUrl: workspace.config.statusBaseUrl,
      });
      const { id, jwt } = await issuer.issue(typeName, subject);
      return { id, jwt, registry };
    };

    const write = async (
      label: string,
      id: string,
      jwt: string,
      status: 'ACTIVE' | 'REVOKED',
      issuerName?: { 'zh-TW': string; en: string },
    ): Promise<void> => {
      const jwtFile = join(dir, `${label}.jwt`);
      const qrPng = join(dir, `${label}.png`);
      const link = encodeCredentialLink(jwt, workspace.config.verifierBaseUrl);
      await writePrivate(jwtFile, `${jwt}\n`);
      await writePrivate(qrPng, (await issuing.renderPng(link)).png);
      const pdf = issuerName === undefined ? undefined : join(dir, `${label}.pdf`);
      if (pdf !== undefined)
        await writeCredentialDocument(jwt, pdf, {
          verifierBaseUrl: workspace.config.verifierBaseUrl,
          format: 'a4',
          issuerName,
          write: writePrivate,
        });
      credentials.push({ label, id, status, jwtFile, qrPng, link, ...(pdf === undefined ? {} : { pdf }) });
    };

    const lawyer = await issue(
      'did:web:moj.gov.tw',
      'MojMSP/operator',
      mojKey,
      'LawyerLicenceCredential',
      demoSubjects.lawyer,
    );
    await write('lawyer-licence', lawyer.id, lawyer.jwt, 'ACTIVE', mojName);
    const company = await issue(
      'did:web:moea.gov.tw',
      'MoeaMSP/operator',
      moeaKey,
      'EconomicCertificateCredential',
      demoSubjects.company,
    );
    await write('company-certificate', company.id, company.jwt, 'ACTIVE', moeaName);
    const revoked = await issue(
      'did:web:moj.gov.tw',
      'MojMSP/operator',
      mojKey,
      'LawyerLicenceCredential',
      demoSubjects.revokedLawyer,
    );
    await revoked.registry.setCredentialStatus({ id: revoked.id, status: 'REVOKED', reason: 'DISBARMENT' });
    await write('lawyer-licence-revoked', revoked.id, revoked.jwt, 'REVOKED');
  }
  return { dir, credentials };
}
