/**
 * A real world for the browser tests: an embedded ledger with the Ministry of Justice registered, lawyer
 * licences signed with the SDK and anchored on it (one revoked, one suspended, several whose content
 * breaks the licence's rules), the signed status lists and trust list published, and `credledger serve` serving the built
 * page over it with status tracking on (as `serve --tracking`). QR codes are rendered to PNG with `qrcode` exactly as a printed licence would carry them.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import QRCode, { type QRCodeSegment } from 'qrcode';
import { PNG } from 'pngjs';

import { anchorRecordOf } from '../../packages/issuer/src/batch/steps.js';
import { credentialDigest, ledgers, Registry, type EmbeddedNetwork } from '@credledger/ledger';
import { buildCredential, newCredentialId } from '../../packages/issuer/src/credentials/credential.js';
import { validateSubject, type CredentialSubject, decodeCredentialLink, type PinnedKey } from '@credledger/verify';
import { nodeCredentialSigner, signCredential } from '../../packages/issuer/src/credentials/sign.js';
import { publicKeyJwk } from '../../packages/issuer/src/keys/issuer-key.js';
import { credentialLinkSegments, encodeCredentialLink, signTrustList } from '@credledger/verify/formats';
import { createTrackingService, startServer, type RunningServer, type TrackingService } from '@credledger/server';
import { statusIndexAllocators } from '../../packages/issuer/src/status/allocator.js';
import { credentialStatusEntries } from '../../packages/issuer/src/status/entry.js';
import { publishStatusLists } from '../../packages/issuer/src/status/publisher.js';
import { publishTokenStatusLists } from '../../packages/issuer/src/status/token-publisher.js';
import { issueSdJwtCredential, issuerSignedJwt } from '../../packages/issuer/src/credentials/sd-jwt.js';
import { signBytes } from '../../packages/issuer/src/credentials/compact-jws.js';

export const MOJ = 'did:web:moj.gov.tw';
export const GOVERNANCE = 'did:web:ndc.gov.tw';
export const XSS_NAME = '<img src=x onerror=alert(1)>';
/** 王, a right-to-left override, 明小 and a pop: a screen that obeys the override shows 王小明. */
export const BIDI_NAME = '王\u202e明小\u202c';

export const lawyer = {
  name: '陳雅婷',
  nameEn: 'Chen Ya-Ting',
  licenceNumber: '(115)台檢證字第012345號',
  admissionDate: '2026-01-05',
  practiceStatus: 'practising',
  barMemberships: ['臺北律師公會', '全國律師聯合會'],
  lawFirm: '明理法律事務所',
};

export interface IssuedLicence {
  readonly id: string;
  readonly jwt: string;
  /** The credential link a QR code carries. */
  readonly link: string;
}

export interface IssuedSdJwt {
  readonly id: string;
  /** The SD-JWT as a wallet holds it: issuer-signed JWT ~ disclosures ~. */
  readonly sdJwt: string;
}

export interface World {
  readonly server: RunningServer;
  readonly webRoot: string;
  readonly valid: IssuedLicence;
  readonly revoked: IssuedLicence;
  readonly suspended: IssuedLicence;
  /** Another licence in force (for a check on a device that never saw it). */
  readonly another: IssuedLicence;
  /**
   * Signed and anchored by the Ministry of Justice although their content breaks the licence's rules,
   * as a compromised or careless issuer system might: markup in the name, a bidi override in the name,
   * a practice status outside the allowed values, a 10,000-character name, a field the type does not have.
   */
  readonly xss: IssuedLicence;
  readonly bidi: IssuedLicence;
  readonly outOfSet: IssuedLicence;
  readonly longName: IssuedLicence;
  readonly unknownField: IssuedLicence;
  /** IETF-profile SD-JWT VCs (whole, every claim disclosed): one in force, one revoked on the ledger. */
  readonly ietfValid: IssuedSdJwt;
  readonly ietfRevoked: IssuedSdJwt;
  /** TW DIW-profile SD-JWT VCs (Status List 2021 entries): one in force, one revoked on the ledger. */
  readonly twDiwValid: IssuedSdJwt;
  readonly twDiwRevoked: IssuedSdJwt;
  /** `valid` with one payload character changed, its signature kept. */
  readonly tamperedLink: string;
  /** `valid` as a compact JWT with the holder's name edited, its signature kept (what someone pastes). */
  readonly forgedJwt: string;
  /** `valid`'s QR link with one digit changed so that it no longer decodes. */
  readonly malformedLink: string;
  /** Governance key the trust list is signed with (for a static page's config.json). */
  readonly governanceKeys: readonly PinnedKey[];
  /** Directory of the published signed files (status lists, trust list). */
  readonly publishedRoot: string;
  /** Starts another server over the same ledger, without tracking (e.g. a static-files configuration). */
  serve(options: { webRoot: string; port?: number }): Promise<RunningServer>;
  /** Issues and anchors a new active licence (for tests that change its status). */
  issueLicence(name: string): Promise<IssuedLicence>;
  /** Revokes a credential on the ledger as the Ministry of Justice (reason DISBARMENT). */
  revoke(id: string): Promise<void>;
  /** Stops the main server (the offline test); `close` is safe afterwards. */
  stopServer(): Promise<void>;
  /** Starts the main server again at its address, with a tracking service over the same state, if stopped. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

type AnchorRequest = Parameters<Registry['issueCredentials']>[0]['credentials'][number];

function es256Key(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/**
 * Builds the world. `webRoot` is the built page (verifier-web/dist). The server starts first, so the
 * credentials' links and status list URLs name its real address.
 */
export async function openWorld(webRoot: string): Promise<World> {
  const directory = mkdtempSync(join(tmpdir(), 'credledger-verifier-'));
  const publishedRoot = join(directory, 'published');
  mkdirSync(publishedRoot);
  const network: EmbeddedNetwork = await ledgers.embedded({ directory: join(directory, 'ledger'), fsync: false });
  const governance = new Registry(network.connect('NdcMSP/admin'));
  const moj = new Registry(network.connect('MojMSP/operator'));
  const readLedger = network.connect('MojMSP/auditor');
  const reader = new Registry(readLedger);

  const mojKey = es256Key();
  const mojKid = `${MOJ}#key-1`;
  const governanceKey = es256Key();
  const governanceKid = `${GOVERNANCE}#key-1`;
  await governance.init({ governanceMspIds: ['NdcMSP'] });
  await governance.registerIssuer({
    did: MOJ,
    mspId: 'MojMSP',
    name: { 'zh-TW': '法務部', en: 'Ministry of Justice' },
    credentialTypes: ['LawyerLicenceCredential'],
    keys: [{ kid: mojKid, publicKeyJwk: publicKeyJwk(createPublicKey(mojKey)), validFrom: '2026-01-01T00:00:00.000Z' }],
  });

  // Loopback webhooks are allowed: the page's webhook form is tested with a 127.0.0.1 address.
  const newTracking = (): Promise<TrackingService> =>
    createTrackingService({
      ledger: readLedger,
      stateDir: join(directory, 'serve-state'),
      delivery: { allowLoopbackHttp: true },
    });
  let tracking = await newTracking();
  let server = await startServer({ registry: reader, port: 0, webRoot, publishedRoot, rateLimit: false, tracking });
  tracking.start();
  let serverOpen = true;
  const base = `${server.url}/`;
  const allocator = statusIndexAllocators.inMemory();

  /** Signs and returns a licence; `plain` links carry the JWT itself (the QR codec keeps to sane sizes). */
  const issue = async (subject: CredentialSubject, plain = false): Promise<IssuedLicence> => {
    const id = newCredentialId();
    const [revocation] = await allocator.allocate(MOJ, 'revocation', [id]);
    const [suspension] = await allocator.allocate(MOJ, 'suspension', [id]);
    if (!revocation || !suspension) throw new Error('no status allocation');
    const payload = buildCredential({
      type: 'LawyerLicenceCredential',
      id,
      issuer: MOJ,
      subject,
      validFrom: new Date('2026-01-05T00:00:00.000Z'),
      validUntil: new Date('2036-01-05T00:00:00.000Z'),
      issuedAt: new Date(Date.now() - 60_000),
      status: credentialStatusEntries(server.url, MOJ, { revocation, suspension }),
    });
    const jwt = await signCredential(payload, { alg: 'ES256', kid: mojKid, privateKey: mojKey });
    return { id, jwt, link: plain ? `${base}#${jwt}` : encodeCredentialLink(jwt, base) };
  };
  /** The ledger record of a signed licence, built by hand: the sdk's helper refuses JWTs as large as a 10,000-character name makes. */
  const anchorOf = (licence: IssuedLicence): AnchorRequest => {
    const payload = JSON.parse(Buffer.from(licence.jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      nbf: number;
      exp?: number;
    };
    return {
      id: licence.id,
      digest: credentialDigest(licence.jwt),
      type: 'LawyerLicenceCredential',
      kid: mojKid,
      validFrom: new Date(payload.nbf * 1000).toISOString(),
      validUntil: payload.exp === undefined ? null : new Date(payload.exp * 1000).toISOString(),
      // No subject digest: these signed-anyway credentials share subjects, never refused as duplicates.
      subjectDigest: null,
    };
  };

  const valid = await issue(validateSubject('LawyerLicenceCredential', lawyer));
  const revoked = await issue(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '林志明', licenceNumber: '(110)台檢證字第000777號' }),
  );
  const suspended = await issue(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '王小美', licenceNumber: '(112)台檢證字第004321號' }),
  );
  const another = await issue(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '張家豪', licenceNumber: '(113)台檢證字第005678號' }),
  );
  // The schema refuses these; they are signed anyway, as a careless or hostile issuer system might.
  const xss = await issue({ ...lawyer, name: XSS_NAME }, true);
  const bidi = await issue({ ...lawyer, name: BIDI_NAME }, true);
  const outOfSet = await issue({ ...lawyer, practiceStatus: 'practising"><script>alert(1)</script>' }, true);
  const longName = await issue({ ...lawyer, name: '陳'.repeat(10_000) }, true);
  const unknownField = await issue({ ...lawyer, nationalId: 'A123456789' }, true);
  /** An SD-JWT VC, anchored as the ledger anchors one: the digest of its issuer-signed JWT. */
  const issueSdJwt = async (
    subject: CredentialSubject,
    profile: 'ietf' | 'tw-diw',
  ): Promise<IssuedSdJwt & { anchor: IssuedLicence }> => {
    const id = newCredentialId();
    const [revocation] = await allocator.allocate(MOJ, 'revocation', [id]);
    const [suspension] = await allocator.allocate(MOJ, 'suspension', [id]);
    if (!revocation || !suspension) throw new Error('no status allocation');
    const sdJwt = await issueSdJwtCredential(
      {
        type: 'LawyerLicenceCredential',
        id,
        issuer: MOJ,
        subject,
        validFrom: new Date('2026-01-05T00:00:00.000Z'),
        validUntil: new Date('2036-01-05T00:00:00.000Z'),
        issuedAt: new Date(Date.now() - 60_000),
        status: credentialStatusEntries(server.url, MOJ, { revocation, suspension }),
        options: { profile },
        baseUrl: server.url,
      },
      {
        alg: 'ES256',
        kid: mojKid,
        sign: (input) => Promise.resolve(signBytes('ES256', mojKey, Buffer.from(input)).toString('base64url')),
      },
    );
    return { id, sdJwt, anchor: { id, jwt: issuerSignedJwt(sdJwt), link: '' } };
  };
  const ietfValid = await issueSdJwt(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '吳怡君', licenceNumber: '(114)台檢證字第007001號' }),
    'ietf',
  );
  const ietfRevoked = await issueSdJwt(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '黃建國', licenceNumber: '(114)台檢證字第007002號' }),
    'ietf',
  );
  const twDiwValid = await issueSdJwt(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '許雅婷', licenceNumber: '(114)台檢證字第007003號' }),
    'tw-diw',
  );
  const twDiwRevoked = await issueSdJwt(
    validateSubject('LawyerLicenceCredential', { ...lawyer, name: '蔡明哲', licenceNumber: '(114)台檢證字第007004號' }),
    'tw-diw',
  );
  const sdJwts = [ietfValid, ietfRevoked, twDiwValid, twDiwRevoked];
  const everyone = [valid, revoked, suspended, another, xss, bidi, outOfSet, longName, unknownField];
  await moj.issueCredentials({
    issuerDid: MOJ,
    credentials: [...everyone, ...sdJwts.map((c) => c.anchor)].map(anchorOf),
  });
  await moj.setCredentialStatus({ id: ietfRevoked.id, status: 'REVOKED', reason: 'DISBARMENT' });
  await moj.setCredentialStatus({ id: twDiwRevoked.id, status: 'REVOKED', reason: 'DISBARMENT' });
  await moj.setCredentialStatus({ id: revoked.id, status: 'REVOKED', reason: 'DISBARMENT' });
  await moj.setCredentialStatus({ id: suspended.id, status: 'SUSPENDED', reason: 'DISCIPLINARY_SUSPENSION' });

  // Signed files for static hosting: status lists at the URLs the credentials name, and the trust list.
  const records = await Promise.all([...everyone, ...sdJwts].map((c) => reader.getCredential(c.id)));
  const listInput = {
    issuerDid: MOJ,
    baseUrl: server.url,
    records,
    allocations: {
      revocation: await allocator.allocations(MOJ, 'revocation'),
      suspension: await allocator.allocations(MOJ, 'suspension'),
    },
    now: new Date(),
    key: { kid: mojKid, alg: 'ES256' as const, signer: nodeCredentialSigner(mojKey) },
  };
  const published = await publishStatusLists(listInput);
  // The Status List 2021 lists the TW DIW SD-JWT VCs name, from the same records.
  const sl2021 = await publishStatusLists({ ...listInput, format: 'StatusList2021' });
  // The IETF Status List Token the SD-JWT VCs name, from the same records.
  const tokens = await publishTokenStatusLists({
    issuerDid: MOJ,
    baseUrl: server.url,
    records,
    allocations: await allocator.allocations(MOJ, 'revocation'),
    now: new Date(),
    key: { kid: mojKid, alg: 'ES256', signer: nodeCredentialSigner(mojKey) },
  });
  for (const list of [...published.lists, ...sl2021.lists, ...tokens.lists]) {
    const path = join(publishedRoot, ...new URL(list.url).pathname.split('/').filter(Boolean));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, list.jwt);
  }
  const now = new Date();
  const trustList = await signTrustList(
    {
      issuers: await reader.listIssuers(),
      issuedAt: now,
      validUntil: new Date(now.getTime() + 7 * 86_400_000),
      governanceDid: GOVERNANCE,
    },
    { kid: governanceKid, alg: 'ES256', signer: nodeCredentialSigner(governanceKey) },
  );
  writeFileSync(join(publishedRoot, 'trust-list.jwt'), trustList);

  const tamperedLink = `${base}#${tamper(valid.jwt)}`;
  const forgedJwt = forge(valid.jwt);
  const malformedLink = brokenLink(valid.link);
  let licences = 0;
  const extraServers: RunningServer[] = [];

  return {
    get server() {
      return server;
    },
    webRoot,
    valid,
    revoked,
    suspended,
    another,
    xss,
    bidi,
    outOfSet,
    longName,
    unknownField,
    ietfValid: { id: ietfValid.id, sdJwt: ietfValid.sdJwt },
    ietfRevoked: { id: ietfRevoked.id, sdJwt: ietfRevoked.sdJwt },
    twDiwValid: { id: twDiwValid.id, sdJwt: twDiwValid.sdJwt },
    twDiwRevoked: { id: twDiwRevoked.id, sdJwt: twDiwRevoked.sdJwt },
    tamperedLink,
    forgedJwt,
    malformedLink,
    governanceKeys: [{ kid: governanceKid, publicKeyJwk: publicKeyJwk(createPublicKey(governanceKey)) }],
    publishedRoot,
    async serve(options) {
      const started = await startServer({
        registry: reader,
        port: options.port ?? 0,
        webRoot: options.webRoot,
        publishedRoot,
        rateLimit: false,
      });
      let closing: Promise<void> | undefined;
      // Closing twice (a test, then `close`) is fine.
      const extra: RunningServer = { url: started.url, close: () => (closing ??= started.close()) };
      extraServers.push(extra);
      return extra;
    },
    async issueLicence(name) {
      // A licence number of its own: the ledger holds one ACTIVE licence per number.
      licences += 1;
      const licenceNumber = `(114)台檢證字第${String(licences).padStart(6, '0')}號`;
      const licence = await issue(validateSubject('LawyerLicenceCredential', { ...lawyer, name, licenceNumber }));
      await moj.issueCredentials({ issuerDid: MOJ, credentials: [anchorRecordOf(licence.jwt)] });
      return licence;
    },
    async revoke(id) {
      await moj.setCredentialStatus({ id, status: 'REVOKED', reason: 'DISBARMENT' });
    },
    async stopServer() {
      if (serverOpen) {
        serverOpen = false;
        // Open event streams would hold the server open: tracking ends them first.
        await tracking.close();
        await server.close();
      }
    },
    async restartServer() {
      if (serverOpen) return;
      tracking = await newTracking();
      const port = Number(new URL(server.url).port);
      server = await startServer({ registry: reader, port, webRoot, publishedRoot, rateLimit: false, tracking });
      tracking.start();
      serverOpen = true;
    },
    async close() {
      if (serverOpen) {
        await tracking.close();
        await server.close();
      }
      for (const extra of extraServers) await extra.close();
      await network.close();
      rmSync(directory, { recursive: true, force: true });
      server = undefined as unknown as RunningServer;
    },
  };
}

/** Changes one character of the payload (the licence number's serial) and keeps the signature. */
function tamper(jwt: string): string {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const json = Buffer.from(payload, 'base64url').toString('utf8').replace('012345', '012346');
  return `${header}.${Buffer.from(json, 'utf8').toString('base64url')}.${signature}`;
}

/** The holder's name edited to another lawyer's, the issuer's signature kept. */
function forge(jwt: string): string {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    credentialSubject: Record<string, unknown>;
  };
  body.credentialSubject['name'] = '王小明';
  return `${header}.${Buffer.from(JSON.stringify(body), 'utf8').toString('base64url')}.${signature}`;
}

/**
 * `link` with one digit changed, as a mistyped or damaged link: the first digit (past the format
 * digits) whose change makes the link undecodable. Found by decoding, so the result is certain.
 */
function brokenLink(link: string): string {
  const hash = link.indexOf('#');
  for (let at = hash + 10; at < link.length; at++) {
    const digit = link.charAt(at) === '1' ? '2' : '1';
    const altered = `${link.slice(0, at)}${digit}${link.slice(at + 1)}`;
    if ('error' in decodeCredentialLink(altered)) return altered;
  }
  throw new Error('no single changed digit breaks this link');
}

/** A PNG of the QR code for `link`, in the mixed byte + numeric segments the SDK prescribes. */
export async function qrPng(link: string): Promise<Buffer> {
  const segments: QRCodeSegment[] = credentialLinkSegments(link).map((s) =>
    s.mode === 'numeric' ? { data: s.data, mode: 'numeric' } : { data: Buffer.from(s.data, 'utf8'), mode: 'byte' },
  );
  return QRCode.toBuffer(segments, { errorCorrectionLevel: 'M', margin: 4, scale: 4, type: 'png' });
}

/** Reads a PNG into RGBA pixels. */
function readPng(png: Buffer): { width: number; height: number; data: Buffer } {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, data: image.data };
}

/**
 * A "photo" of a QR code: the code on a larger grey, slightly noisy background, as a phone photo of a
 * printed licence looks to a decoder. Deterministic noise.
 */
export function photoOf(qr: Buffer): Buffer {
  const code = readPng(qr);
  const width = code.width * 2 + 160;
  const height = code.height * 2 + 120;
  const photo = new PNG({ width, height });
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed % 25) - 12;
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const qx = Math.floor((x - 80) / 2);
      const qy = Math.floor((y - 60) / 2);
      const inside = qx >= 0 && qy >= 0 && qx < code.width && qy < code.height;
      const base = inside ? (code.data[(qy * code.width + qx) * 4] ?? 255) * 0.85 + 20 : 150;
      const value = Math.max(0, Math.min(255, Math.round(base + noise())));
      photo.data[i] = value;
      photo.data[i + 1] = value;
      photo.data[i + 2] = Math.max(0, value - 8);
      photo.data[i + 3] = 255;
    }
  }
  // One fixed filter: pngjs otherwise tries all five per row, which is slow for a noisy image.
  return PNG.sync.write(photo, { filterType: 0, deflateLevel: 1 });
}

/**
 * One-frame Y4M video (4:2:0, 640×480) showing the QR code centred on white, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`). Chromium loops the frame.
 */
export function y4mOf(qr: Buffer, width = 640, height = 480): Buffer {
  const code = readPng(qr);
  const scale = Math.max(1, Math.floor(Math.min((width - 40) / code.width, (height - 40) / code.height)));
  const offsetX = Math.floor((width - code.width * scale) / 2);
  const offsetY = Math.floor((height - code.height * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < code.height * scale; y++) {
    for (let x = 0; x < code.width * scale; x++) {
      const p = (Math.floor(y / scale) * code.width + Math.floor(x / scale)) * 4;
      const r = code.data[p] ?? 255;
      const g = code.data[p + 1] ?? 255;
      const b = code.data[p + 2] ?? 255;
      // BT.601 studio range, as Y4M C420 expects.
      luma[(offsetY + y) * width + offsetX + x] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  return Buffer.concat([header, luma, chroma, chroma]);
}
