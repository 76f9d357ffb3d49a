/**
 * Local organisations of the embedded ledger: a P-256 certificate authority per MSP and user certificates
 * that carry Fabric CA's attribute extension, so `ctx.clientIdentity` reads them exactly as on a peer.
 * Identities and keys live in `<ledger>/msp/<MspId>/` (private keys mode 0600). With a passphrase source,
 * the CA's key and the keys of identities that may change the ledger are sealed in the organisation's
 * keyring (org-keyring.ts); keys of read-only `auditor` identities and of ledgers made without one stay
 * PEM (docs/decisions/0020).
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CredledgerError } from '@credledger/verify';
import type { OrgSpec, UserSpec } from '@credledger/ledger';
import { roleAttribute } from '@credledger/vocabulary';

import { certificateSerial, loadX509, p256Ecdsa, pemOf } from '@credledger/keys';
import { publicDerOf, sealedPath, type OrgKeyrings } from './org-keyring.js';

/** Fabric CA's attribute extension: raw UTF-8 JSON `{"attrs":{…}}`. */
export const fabricAttributeOid = '1.2.3.4.5.6.7.8.1';

/** A local identity with its signing key. */
export interface LocalIdentity {
  /** `MspId/user`. */
  readonly name: string;
  readonly mspId: string;
  readonly role: string | null;
  /** PEM certificate, as carried in proposals. */
  readonly certificate: string;
  /** True when the private key is sealed in the organisation's keyring (opening it asks its passphrase). */
  readonly sealed: boolean;
  /** The private key: read, or unsealed on first use. */
  key(): Promise<KeyObject>;
}

/** A local organisation as loaded from disk. */
export interface LocalOrg {
  readonly mspId: string;
  /** PEM of the org's CA certificate. */
  readonly caCertificate: string;
  readonly ca: X509Certificate;
  readonly identities: readonly LocalIdentity[];
}

const validMspId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const validUserName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws CONFIG_INVALID unless every MSP id and user name is a plain, unique file-system-safe name. */
export function checkOrgSpecs(orgs: readonly OrgSpec[]): void {
  const msps = new Set<string>();
  if (orgs.length === 0)
    throw new CredledgerError('CONFIG_INVALID', 'an embedded network needs at least one organisation');
  for (const org of orgs) {
    if (!validMspId.test(org.mspId) || msps.has(org.mspId))
      throw new CredledgerError('CONFIG_INVALID', `bad or repeated MSP id: ${JSON.stringify(org.mspId)}`);
    msps.add(org.mspId);
    const users = new Set<string>();
    for (const user of org.users) {
      if (!validUserName.test(user.name) || users.has(user.name))
        throw new CredledgerError(
          'CONFIG_INVALID',
          `bad or repeated user name in ${org.mspId}: ${JSON.stringify(user.name)}`,
        );
      users.add(user.name);
    }
  }
}

/**
 * Loads the organisations stored under `mspDir`, creating CAs and users listed in `orgs` that are missing.
 * Fails: KEY_STORE_ERROR when a stored file cannot be read or parsed.
 */
export async function loadOrCreateOrgs(
  keyrings: OrgKeyrings,
  orgs: readonly OrgSpec[],
  allowCreate: boolean,
): Promise<LocalOrg[]> {
  checkOrgSpecs(orgs);
  const mspDir = keyrings.mspDir;
  const result: LocalOrg[] = [];
  for (const spec of orgs) {
    const orgDir = join(mspDir, spec.mspId);
    let ca = await readCa(orgDir, spec.mspId, keyrings);
    if (!ca) {
      if (!allowCreate) throw new CredledgerError('KEY_STORE_ERROR', `no CA for ${spec.mspId} in ${orgDir}`);
      ca = await createCa(orgDir, spec.mspId, keyrings);
    }
    const identities: LocalIdentity[] = [];
    for (const user of spec.users) {
      let identity = await readUser(orgDir, spec.mspId, user.name, keyrings);
      if (!identity) {
        if (!allowCreate)
          throw new CredledgerError('KEY_STORE_ERROR', `no identity ${spec.mspId}/${user.name} in ${orgDir}`);
        identity = await createUser(orgDir, spec.mspId, user, ca, keyrings);
      }
      identities.push(identity);
    }
    result.push({
      mspId: spec.mspId,
      caCertificate: ca.certificate,
      ca: new X509Certificate(ca.certificate),
      identities,
    });
  }
  return result;
}

/** Lists the MSP ids stored under `mspDir` (each with a CA), in name order. */
export async function storedMspIds(mspDir: string): Promise<string[]> {
  try {
    const entries = await readdir(mspDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Reads the users stored for one org, with the role read back from each certificate. */
export async function storedUsers(mspDir: string, mspId: string): Promise<UserSpec[]> {
  const usersDir = join(mspDir, mspId, 'users');
  let names: string[];
  try {
    names = (await readdir(usersDir))
      .filter((n) => n.endsWith('.pem'))
      .map((n) => n.slice(0, -4))
      .sort();
  } catch {
    return [];
  }
  const users: UserSpec[] = [];
  for (const name of names) {
    const pem = await readFile(join(usersDir, `${name}.pem`), 'utf8');
    users.push({ name, role: roleOf(new X509Certificate(pem)) });
  }
  return users;
}

/** Reads `credledger.role` from a certificate's Fabric attribute extension (null when absent). */
export function roleOf(cert: X509Certificate): string | null {
  const attrs = fabricAttributes(cert.raw);
  const role = attrs[roleAttribute];
  return typeof role === 'string' ? role : null;
}

interface StoredCa {
  readonly certificate: string;
  key(): Promise<KeyObject>;
}

/**
 * The private key beside a certificate: sealed (`<keyPath>.sealed`, opened on first use) or PEM
 * (`<keyPath>`, read now). A sealed key wins over a PEM one left by an interrupted `protect`; the sealed
 * file is looked for again when the PEM one vanishes meanwhile (a `protect` running beside this read).
 */
async function storedKey(
  keyPath: string,
  mspId: string,
  owner: string,
  certificate: string,
  keyrings: OrgKeyrings,
): Promise<{ sealed: boolean; key: () => Promise<KeyObject> } | undefined> {
  const sealedFile = sealedPath(keyPath);
  const sealed = (): { sealed: boolean; key: () => Promise<KeyObject> } => {
    const certificateKey = publicDerOf(new X509Certificate(certificate).publicKey);
    let opening: Promise<KeyObject> | undefined;
    return {
      sealed: true,
      key: () => {
        opening ??= keyrings.unseal(mspId, owner, sealedFile, certificateKey);
        // A wrong passphrase may be corrected on the next use.
        opening.catch(() => (opening = undefined));
        return opening;
      },
    };
  };
  if (await exists(sealedFile)) return sealed();
  const pem = await readOptional(keyPath);
  if (pem === undefined) return (await exists(sealedFile)) ? sealed() : undefined;
  const key = parseKey(pem, keyPath);
  return { sealed: false, key: () => Promise.resolve(key) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CredledgerError('KEY_STORE_ERROR', `cannot read ${path}`, { cause: err });
  }
}

async function readCa(orgDir: string, mspId: string, keyrings: OrgKeyrings): Promise<StoredCa | undefined> {
  const pem = await readOptional(join(orgDir, 'ca', 'ca.pem'));
  if (pem === undefined) return undefined;
  const key = await storedKey(join(orgDir, 'ca', 'ca.key'), mspId, `${mspId}/ca`, pem, keyrings);
  if (key === undefined) throw new CredledgerError('KEY_STORE_ERROR', `CA key missing in ${orgDir}`);
  return { certificate: pem, key: key.key };
}

async function readUser(
  orgDir: string,
  mspId: string,
  name: string,
  keyrings: OrgKeyrings,
): Promise<LocalIdentity | undefined> {
  const pem = await readOptional(join(orgDir, 'users', `${name}.pem`));
  if (pem === undefined) return undefined;
  const keyPath = join(orgDir, 'users', `${name}.key`);
  const key = await storedKey(keyPath, mspId, `${mspId}/${name}`, pem, keyrings);
  if (key === undefined) throw new CredledgerError('KEY_STORE_ERROR', `private key missing: ${keyPath}`);
  return {
    name: `${mspId}/${name}`,
    mspId,
    role: roleOf(new X509Certificate(pem)),
    certificate: pem,
    sealed: key.sealed,
    key: key.key,
  };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CredledgerError('KEY_STORE_ERROR', `cannot read ${path}`, { cause: err });
  }
}

function parseKey(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    throw new CredledgerError('KEY_STORE_ERROR', `cannot parse private key ${path}`, { cause: err });
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

const tenYearsMs = 10 * 365.25 * 24 * 3600 * 1000;

function orgDomain(mspId: string): string {
  return `${mspId.replace(/MSP$/, '').toLowerCase()}.credledger.local`;
}

async function createCa(orgDir: string, mspId: string, keyrings: OrgKeyrings): Promise<StoredCa> {
  const x509 = await loadX509();
  const keys = await globalThis.crypto.subtle.generateKey(p256Ecdsa, true, ['sign', 'verify']);
  const domain = orgDomain(mspId);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: certificateSerial(),
    name: `C=TW, O=${domain}, CN=ca.${domain}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + tenYearsMs),
    signingAlgorithm: p256Ecdsa,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certificate = cert.toString('pem') + '\n';
  const privateKey = await nodeKey(keys.privateKey);
  await mkdir(join(orgDir, 'ca'), { recursive: true, mode: 0o700 });
  if (keyrings.sealsNewKeys) {
    if (!(await keyrings.exists(mspId))) await keyrings.create(mspId);
    await keyrings.seal(mspId, `${mspId}/ca`, join(orgDir, 'ca', 'ca.key'), privateKey);
  } else {
    await writeSecret(
      join(orgDir, 'ca', 'ca.key'),
      pemOf('PRIVATE KEY', privateKey.export({ format: 'der', type: 'pkcs8' })),
    );
  }
  // The certificate last: a CA certificate on disk always has its key beside it.
  await writeFile(join(orgDir, 'ca', 'ca.pem'), certificate, { flag: 'wx' });
  return { certificate, key: () => Promise.resolve(privateKey) };
}

/** A WebCrypto key pair's private half as a node KeyObject. */
async function nodeKey(key: CryptoKey): Promise<KeyObject> {
  const pkcs8 = Buffer.from(await globalThis.crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

/** Roles whose keys stay PEM: they may only read, and the ledger they read is on disk beside them. */
const readOnlyRoles: readonly (string | null)[] = ['auditor'];

async function createUser(
  orgDir: string,
  mspId: string,
  user: UserSpec,
  ca: StoredCa,
  keyrings: OrgKeyrings,
): Promise<LocalIdentity> {
  const keys = await globalThis.crypto.subtle.generateKey(p256Ecdsa, true, ['sign', 'verify']);
  const certificate = await userCertificate(mspId, user, ca, keys.publicKey);
  const privateKey = await nodeKey(keys.privateKey);
  const keyPath = join(orgDir, 'users', `${user.name}.key`);
  await mkdir(join(orgDir, 'users'), { recursive: true, mode: 0o700 });
  const sealed = !readOnlyRoles.includes(user.role) && (await keyrings.exists(mspId));
  if (sealed) await keyrings.seal(mspId, `${mspId}/${user.name}`, keyPath, privateKey);
  else await writeSecret(keyPath, pemOf('PRIVATE KEY', privateKey.export({ format: 'der', type: 'pkcs8' })));
  await writeFile(join(orgDir, 'users', `${user.name}.pem`), certificate, { flag: 'wx' });
  return {
    name: `${mspId}/${user.name}`,
    mspId,
    role: user.role,
    certificate,
    sealed,
    key: () => Promise.resolve(privateKey),
  };
}

/** A user certificate from the org's CA for `publicKey`, with the role attribute as Fabric CA writes it. */
async function userCertificate(mspId: string, user: UserSpec, ca: StoredCa, publicKey: CryptoKey): Promise<string> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certificate);
  const caKey = await globalThis.crypto.subtle.importKey(
    'pkcs8',
    (await ca.key()).export({ format: 'der', type: 'pkcs8' }),
    p256Ecdsa,
    false,
    ['sign'],
  );
  const domain = orgDomain(mspId);
  const now = Date.now();
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (user.role !== null) {
    // Fabric CA writes the attributes as the raw JSON bytes of the extension value.
    const json = JSON.stringify({ attrs: { [roleAttribute]: user.role } });
    extensions.push(new x509.Extension(fabricAttributeOid, false, Buffer.from(json, 'utf8')));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: certificateSerial(),
    subject: `C=TW, O=${domain}, OU=client, CN=${user.name}@${domain}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + tenYearsMs),
    signingAlgorithm: p256Ecdsa,
    publicKey,
    signingKey: caKey,
    extensions,
  });
  return cert.toString('pem') + '\n';
}

/**
 * A certificate from a local organisation's CA (stored under `mspDir`) for a P-256 public key whose
 * private half stays elsewhere, e.g. in a PKCS#11 token. Nothing is written. A sealed CA key asks the
 * organisation's passphrase.
 * Fails: CONFIG_INVALID (bad name, not a P-256 key), KEY_STORE_ERROR (no such organisation's CA),
 * PASSPHRASE_REQUIRED / PASSPHRASE_WRONG (a sealed CA key).
 */
export async function certifyPublicKey(
  keyrings: OrgKeyrings,
  mspId: string,
  user: UserSpec,
  publicKeyJwk: { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string },
): Promise<string> {
  checkOrgSpecs([{ mspId, users: [user] }]);
  const orgDir = join(keyrings.mspDir, mspId);
  const ca = await readCa(orgDir, mspId, keyrings);
  if (!ca) throw new CredledgerError('KEY_STORE_ERROR', `no CA for ${mspId} in ${orgDir}`);
  let publicKey: CryptoKey;
  try {
    publicKey = await globalThis.crypto.subtle.importKey(
      'jwk',
      { kty: publicKeyJwk.kty, crv: publicKeyJwk.crv, x: publicKeyJwk.x, y: publicKeyJwk.y, ext: true },
      p256Ecdsa,
      true,
      ['verify'],
    );
  } catch (err) {
    throw new CredledgerError('CONFIG_INVALID', 'a local identity needs a P-256 public key', { cause: err });
  }
  return userCertificate(mspId, user, ca, publicKey);
}

/** SHA-256 hex of a certificate's DER, used to pin CA certificates in the genesis block. */
export function certificateFingerprint(pem: string): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** The public key of a PEM certificate. */
export function publicKeyOf(pem: string | Buffer): KeyObject {
  return createPublicKey(new X509Certificate(pem).publicKey.export({ format: 'pem', type: 'spki' }));
}

/**
 * Reads the Fabric CA attribute extension from a DER certificate without a full ASN.1 parser: finds the
 * extension's OID and takes the OCTET STRING that follows (after an optional `critical` BOOLEAN).
 */
export function fabricAttributes(der: Buffer): Record<string, unknown> {
  // DER of OID 1.2.3.4.5.6.7.8.1: 06 08 2a 03 04 05 06 07 08 01
  const oid = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);
  const at = der.indexOf(oid);
  if (at < 0) return {};
  let pos = at + oid.length;
  if (der[pos] === 0x01) pos += 2 + (der[pos + 1] ?? 0); // critical BOOLEAN
  if (der[pos] !== 0x04) return {};
  let len = der[pos + 1] ?? 0;
  pos += 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | (der[pos + i] ?? 0);
    pos += n;
  }
  try {
    const parsed = JSON.parse(der.subarray(pos, pos + len).toString('utf8')) as { attrs?: Record<string, unknown> };
    return parsed.attrs ?? {};
  } catch {
    return {};
  }
}
