/**
 * What `credledger verify` shows a person, per verdict: a forged credential's claims are never shown as
 * facts (not its issuer's name, not its fields, not a passing status), the verdict is said once, zh-TW
 * output has no English left in it, and content a compromised or careless issuer signed and anchored
 * outside its type's rules is INVALID_CLAIMS (exit 19) with hidden characters written out.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  buildCredential,
  credentialDigest,
  ledgers,
  newCredentialId,
  readIssuerKeyFile,
  Registry,
  signCredential,
  type CredentialSubject,
} from '@credledger/sdk';

import { verdictExitCodes } from '../src/exit-codes.js';
import { issuerKeyFile } from '../src/issuing.js';
import { openWorkspace } from '../src/workspace.js';
import { baseEnv, expectExit, json, runCli, tempDir } from './cli.js';

const MOJ = 'did:web:moj.gov.tw';

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
const ws = (args: string[]): string[] => ['-w', workspace, ...args];

interface DemoJson {
  credentials: { label: string; id: string; status: string; jwtFile: string; link: string }[];
}
let demo: DemoJson;
let valid: string;
let revoked: string;
let forged: string;
let link: string;

interface VerifyJson {
  verdict: string;
  checks: { name: string; result: string; reason: string; field?: string }[];
  credential?: { issuerName?: unknown; subject: Record<string, unknown> };
  status?: unknown;
  established: { claims: string; checksRun: string[]; checksNotRun: string[]; decisive?: string };
}

const validSubject = {
  name: '陳雅婷',
  licenceNumber: '(115)台檢證字第012345號',
  admissionDate: '2026-01-05',
  practiceStatus: 'practising',
  lawFirm: '明理法律事務所',
};

/**
 * Signs `subject` with the Ministry of Justice's key in the workspace and anchors it, as a compromised
 * or careless issuer system could: the issuance schema is bypassed on purpose.
 */
async function signAndAnchor(subject: Record<string, unknown>): Promise<string> {
  const opened = openWorkspace(workspace);
  const config = opened.config.ledger;
  if (config.backend !== 'embedded') throw new Error('the demo workspace is embedded');
  const network = await ledgers.embedded({
    directory: opened.resolve(config.directory),
    create: false,
    // The operator's ledger identity is sealed in MojMSP's keyring (decision 0020).
    identityKeys: { passphrase: () => baseEnv().CREDLEDGER_IDENTITY_PASSPHRASE ?? '' },
  });
  try {
    const registry = new Registry(network.connect('MojMSP/operator'));
    const issuer = await registry.getIssuer(MOJ);
    const kid = issuer.keys.find((k) => k.validUntil === null && k.compromisedSince === null)?.kid ?? '';
    const passphrase = baseEnv().CREDLEDGER_KEY_PASSPHRASE ?? '';
    const key = await readIssuerKeyFile(issuerKeyFile(opened, kid), passphrase);
    const now = new Date();
    const payload = buildCredential({
      type: 'LawyerLicenceCredential',
      id: newCredentialId(),
      issuer: MOJ,
      subject: subject as CredentialSubject,
      validFrom: now,
      validUntil: new Date(now.getTime() + 365 * 86_400_000),
      issuedAt: now,
      status: [],
    });
    const jwt = await signCredential(payload, { alg: key.alg, kid, privateKey: key.privateKey });
    // By hand: the sdk's own anchor helper refuses a JWT this large (a 10,000-character name), the ledger does not.
    await registry.issueCredentials({
      issuerDid: MOJ,
      credentials: [
        {
          id: payload.id,
          digest: credentialDigest(jwt),
          type: 'LawyerLicenceCredential',
          kid,
          validFrom: new Date(payload.nbf * 1000).toISOString(),
          validUntil: payload.exp === undefined ? null : new Date(payload.exp * 1000).toISOString(),
          // No subject digest: these signed-anyway credentials share subjects, never refused as duplicates.
          subjectDigest: null,
        },
      ],
    });
    return jwt;
  } finally {
    await network.close();
  }
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  const result = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(result, 0);
  demo = json<DemoJson>(result);
  const licence = demo.credentials.find((c) => c.label === 'lawyer-licence');
  const gone = demo.credentials.find((c) => c.status === 'REVOKED');
  if (!licence || !gone) throw new Error('the demo issued no active and no revoked licence');
  valid = (await readFile(licence.jwtFile, 'utf8')).trim();
  revoked = (await readFile(gone.jwtFile, 'utf8')).trim();
  link = licence.link;
  const [header, payload, signature] = valid.split('.');
  const body = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as {
    credentialSubject: Record<string, unknown>;
  };
  body.credentialSubject.name = '冒名頂替';
  forged = `${header}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('a forged credential', () => {
  it('shows the verdict and why, and none of its claims: no issuer name, no fields, no passing status', async () => {
    for (const lang of ['en', 'zh-TW']) {
      const result = await runCli(ws(['verify', forged, '--lang', lang]));
      expectExit(result, verdictExitCodes.TAMPERED);
      const out = result.stdout;
      expect(out).toMatch(/^(Verdict|結果): TAMPERED — /m);
      for (const claim of ['Ministry of Justice', '法務部', '冒名頂替', '(115)', '明理', 'Name:', '姓名']) {
        expect(out).not.toContain(claim);
      }
      // The failing signature is the why; the status of the id it names is not reported at all.
      expect(out).toMatch(/✗ .*SIGNATURE_INVALID/);
      expect(out).not.toMatch(/✓ .*(ACTIVE|WITHIN_VALIDITY|CLAIMS_CONFORM)/);
      expect(out).not.toMatch(/^\s*(status|狀態): /m);
      expect(out).toMatch(
        lang === 'en' ? /not checked: .*revocation and suspension/ : /未進行的檢查：.*撤銷與停止狀態/,
      );
    }
  }, 60_000);

  it('--show-claims lists them only under a heading that says they are unverified and probably forged', async () => {
    const en = await runCli(ws(['verify', forged, '--lang', 'en', '--show-claims']));
    expectExit(en, verdictExitCodes.TAMPERED);
    const lines = en.stdout.split('\n');
    const heading = lines.findIndex((l) => l.includes('UNVERIFIED, PROBABLY FORGED'));
    const name = lines.findIndex((l) => l.includes('冒名頂替'));
    expect(heading).toBeGreaterThan(0);
    expect(name).toBeGreaterThan(heading);
    // Even there the issuer is only the DID it names, never the registry's name for it.
    expect(en.stdout).not.toContain('Ministry of Justice');
    const zh = await runCli(ws(['verify', forged, '--lang', 'zh-TW', '--show-claims']));
    expect(zh.stdout).toContain('未經證實、很可能是偽造的內容');
    expect(zh.stdout).not.toContain('法務部');
  }, 60_000);

  it('--json says which checks ran and that the claims are unverified, and lends it no issuer name or status', async () => {
    const result = await runCli(ws(['verify', forged, '--json']));
    expectExit(result, verdictExitCodes.TAMPERED);
    const out = json<VerifyJson>(result);
    expect(out.established).toEqual({
      claims: 'unverified',
      checksRun: ['decode', 'issuer', 'credential-type', 'signature', 'anchor'],
      checksNotRun: ['claims', 'validity', 'status'],
      decisive: 'signature',
    });
    expect(out.credential?.issuerName).toBeUndefined();
    expect(out.status).toBeUndefined();
  }, 60_000);
});

describe('each verdict says only what was established', () => {
  it('VALID names the verdict once, with its phrase', async () => {
    const en = await runCli(ws(['verify', valid, '--lang', 'en']));
    expectExit(en, 0);
    expect(en.stdout.split('\n')[0]).toBe('Verdict: VALID — genuine and in force');
    const zh = await runCli(ws(['verify', valid, '--lang', 'zh-TW']));
    expect(zh.stdout.split('\n')[0]).toBe('結果: VALID — 真實且有效');
  }, 60_000);

  it('MALFORMED: the failed read, and every other check collapsed into one line', async () => {
    const hash = link.indexOf('#');
    const altered = `${link.slice(0, hash + 30)}${link.charAt(hash + 30) === '1' ? '2' : '1'}${link.slice(hash + 31)}`;
    const result = await runCli(ws(['verify', altered, '--lang', 'en']));
    // A changed digit either breaks the link's encoding or the signature; never anything better.
    expect([verdictExitCodes.MALFORMED, verdictExitCodes.TAMPERED]).toContain(result.code);
    const garbled = await runCli(ws(['verify', 'not.a.credential', '--lang', 'en']));
    expectExit(garbled, verdictExitCodes.MALFORMED);
    expect(garbled.stdout.split('\n').filter((l) => l.trim() !== '')).toEqual([
      'Verdict: MALFORMED — cannot be read as a credential',
      '  checks run:',
      expect.stringMatching(/^ {4}✗ read the credential {2}fail {2}BAD_ENCODING \(damaged encoding\)$/),
      "  not checked: the issuer it names is registered, that issuer may issue this type, digital signature, content follows its type's rules, validity period, ledger fingerprint, revocation and suspension",
    ]);
  }, 60_000);
});

describe('--lang zh-TW', () => {
  /** What leaked into zh-TW verdict lines before: the sdk's English details and bare reason codes. */
  const leaked = [
    'issuer status',
    'as of',
    'window checked at',
    'anchor time',
    'anchored ',
    'valid until',
    'Verdict',
    ' pass ',
    ' fail ',
    'unknown',
  ];

  it('prints no English in verdict and check lines, and every code carries a phrase', async () => {
    const bad = await signAndAnchor({ ...validSubject, practiceStatus: 'retired' });
    for (const input of [valid, revoked, forged, 'not.a.credential', bad]) {
      const result = await runCli(ws(['verify', input, '--lang', 'zh-TW']));
      const lines = result.stdout.split('\n').filter((l) => /^(結果|\s+[✓✗?] |\s+未進行的檢查)/.test(l));
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) {
        for (const phrase of leaked) expect(line).not.toContain(phrase);
        // Codes stay codes, each followed by its phrase in Chinese.
        for (const code of line.match(/\b[A-Z][A-Z_]{3,}\b/g) ?? []) {
          expect(line).toMatch(new RegExp(`${code}(（| — )[^A-Za-z]`));
        }
        // Nothing English is left once codes, DIDs and times are taken out.
        const rest = line
          .replace(/\b[A-Z][A-Z_]{3,}\b/g, '')
          .replace(/did:\S+/g, '')
          .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '');
        expect(rest).not.toMatch(/[A-Za-z]{2,}/);
      }
    }
  }, 90_000);
});

describe('content outside its type, signed and anchored by the issuer (INVALID_CLAIMS, exit 19)', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      'a practice status outside the allowed values',
      { ...validSubject, practiceStatus: 'practising"><script>alert(1)</script>' },
      'CLAIM_NOT_ALLOWED',
      'practiceStatus',
    ],
    ['a 10,000-character name', { ...validSubject, name: '陳'.repeat(10_000) }, 'CLAIM_TOO_LONG', 'name'],
    ['a bidi override in the name', { ...validSubject, name: '王\u202e明小\u202c' }, 'CLAIM_HIDDEN_CHARACTERS', 'name'],
    [
      'a field the type does not define',
      { ...validSubject, nationalId: 'A123456789' },
      'CLAIM_NOT_IN_TYPE',
      'nationalId',
    ],
  ];

  it.each(cases)(
    '%s',
    async (_, subject, reason, field) => {
      const jwt = await signAndAnchor(subject);
      const machine = await runCli(ws(['verify', jwt, '--json']));
      expectExit(machine, verdictExitCodes.INVALID_CLAIMS);
      expect(verdictExitCodes.INVALID_CLAIMS).toBe(19);
      const out = json<VerifyJson>(machine);
      expect(out.verdict).toBe('INVALID_CLAIMS');
      expect(out.checks.find((c) => c.name === 'claims')).toMatchObject({ result: 'fail', reason, field });
      expect(out.checks.find((c) => c.name === 'signature')).toMatchObject({ result: 'pass' });
      expect(out.established).toMatchObject({ claims: 'flagged', decisive: 'claims' });

      const human = await runCli(ws(['verify', jwt, '--lang', 'en']));
      expectExit(human, verdictExitCodes.INVALID_CLAIMS);
      expect(human.stdout.split('\n')[0]).toBe(
        "Verdict: INVALID_CLAIMS — signed, but its content breaks its type's rules; do not rely on it",
      );
      expect(human.stdout).toContain(
        "content breaking its type's rules (signed by Ministry of Justice, but not to be relied on):",
      );
      expect(human.stdout).toMatch(
        new RegExp(`✗ content follows its type's rules +fail +${reason} \\(.+\\) — field: `),
      );
    },
    60_000,
  );

  it('writes a bidi override out instead of printing it, and clips a 10,000-character name', async () => {
    const bidi = await signAndAnchor({ ...validSubject, name: '王\u202e明小\u202c' });
    const shown = await runCli(ws(['verify', bidi, '--lang', 'zh-TW']));
    expect(shown.stdout).toContain('姓名: 王⟨U+202E⟩明小⟨U+202C⟩');
    expect(shown.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    const long = await signAndAnchor({ ...validSubject, name: '陳'.repeat(10_000) });
    const clipped = await runCli(ws(['verify', long, '--lang', 'en']));
    const nameLine = clipped.stdout.split('\n').find((l) => l.includes('Name:')) ?? '';
    expect(nameLine).toContain('… (10000 characters)');
    expect(nameLine.length).toBeLessThan(200);
  }, 60_000);
});
