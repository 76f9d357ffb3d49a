/**
 * zh-TW everywhere (issue 13, item 3): with `--lang zh-TW` (or a Chinese LANG) every line the CLI
 * prints is Chinese — the `error CODE:` line of every code it can print, status and history, and
 * `--help` — while codes stay codes, each with a phrase beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { demoSubjects } from '../src/demo-run.js';
import { anyCodeTexts, cliErrorCodes, errorTexts, phraseOf, type Text } from '../src/error-text.js';
import { cliExitCodes, exitCodes as ledgerExitCodes, pkcs11ExitCodes } from '../src/exit-codes.js';

import { errorLines, expectExit, holdLedger, json, runCli, tempDir, type CliResult } from './cli.js';
import { commandPaths } from './command-paths.js';

/** Every code that has an exit code of its own, the ledger's and the token's. */
const exitCodes = { ...ledgerExitCodes, ...pkcs11ExitCodes };

/** Words that are names, not English sentences: products, formats and the CLI's own tokens. */
const names = [
  'Hyperledger Fabric',
  'Fabric',
  'Bitstring Status List',
  'OpenID4VCI',
  'OpenID4VP',
  'Ctrl-C',
  'webhook',
  'token',
  'zh-TW',
  'en',
  'credledger',
  'npx',
  'QR',
  'PNG',
  'SVG',
  'JWT',
  'JSON',
  'CSV',
  'DID',
  'API',
  'HTTPS',
  'http(s)',
  'ES256',
  'EdDSA',
  'MspId',
  'embedded',
  'fabric',
  'id',
  'reason',
  'file',
  // The CLI's commands, named in usage lines and next steps.
  'demo',
  'init',
  'types',
  'issuer',
  'register',
  'list',
  'show',
  'rotate-key',
  'compromise-key',
  'suspend',
  'activate',
  'deactivate',
  'credentials',
  'issue',
  'issue-batch',
  'qr-batch',
  'revoke',
  'reinstate',
  'status',
  'history',
  'verify',
  'status-list',
  'publish',
  'trust-list',
  'export',
  'ledger',
  'serve',
  'watch',
  'subscriptions',
  'add',
  'remove',
  // Every command's own name, as the program defines them.
  ...commandPaths().flat(),
];

/**
 * What is left of a line once everything that is no English sentence is taken out: codes, ids, DIDs,
 * paths, URLs, quoted input, `commands`, flags, placeholders, times, names. A Chinese line leaves no
 * two-letter word.
 */
function englishIn(line: string): string[] {
  let rest = line
    .replace(/^error [A-Z][A-Z0-9_]+: /, '')
    .replace(/「[^」]*」/g, '')
    .replace(/`[^`]*`/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/'[^']*'/g, '')
    .replace(/\bhttps?:\/\/\S*/g, '')
    .replace(/\b[0-9a-f]{64}\b/g, '')
    .replace(/\b[A-Z][a-z]+MSP\b/g, '')
    .replace(/(^|\s)\.[a-z]+\b/g, '$1')
    .replace(/\burn:uuid:[\w…-]*/g, '')
    .replace(/\bdid:[\w.:%…-]+(#[\w-]+)?/g, '')
    .replace(/(^|[\s（(：:])(\/|\.\/)[^\s（）()，、；：]*/g, '$1')
    .replace(/\b[\w-]+\.(json|csv|jwt|png|pem|jsonl)\b/g, '')
    .replace(/\b\d{4}-\d\d-\d\dT[\d:.]+Z\b/g, '');
  for (const name of names)
    rest = rest.replace(new RegExp(`(?<![\\w-])${name.replace(/[()]/g, '\\$&')}(?![\\w-])`, 'g'), '');
  rest = rest
    .replace(/--?[a-zA-Z][\w-]*/g, '')
    .replace(/<[^>]*>|\[[^\]]*\]/g, '')
    .replace(/\b[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:\.\w+)?/g, '')
    .replace(/\b[A-Z][A-Z0-9_]{2,}\b/g, '');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

/** Asserts a run printed no English: every line of both streams. */
function expectNoEnglish(result: CliResult): void {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  expect(lines.map((line) => [line, englishIn(line)] as const).filter(([, words]) => words.length > 0)).toEqual([]);
}

let dir: string;
let cleanup: () => Promise<void>;
let workspace: string;
let active: string;
let revoked: string;
const missingId = 'urn:uuid:00000000-0000-4000-8000-000000000000';
const zh = (args: string[]): string[] => ['--lang', 'zh-TW', '-w', workspace, ...args];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  workspace = join(dir, 'demo');
  const demo = await runCli(['demo', workspace, '--no-serve', '--json']);
  expectExit(demo, 0);
  const credentials = json<{ credentials: { label: string; id: string }[] }>(demo).credentials;
  active = credentials.find((c) => c.label === 'lawyer-licence')?.id ?? '';
  revoked = credentials.find((c) => c.label === 'lawyer-licence-revoked')?.id ?? '';
}, 120_000);

afterAll(async () => {
  await cleanup();
});

describe('the table of error texts', () => {
  const printable = [...Object.keys(exitCodes), ...cliErrorCodes];

  it('has a phrase in both languages for every code the CLI can print, and nothing else', () => {
    for (const code of printable) {
      const phrase = phraseOf(code);
      expect([code, phrase?.['zh-TW'].match(/\p{Script=Han}/u) !== null, (phrase?.en.length ?? 0) > 0]).toEqual([
        code,
        true,
        true,
      ]);
    }
    expect(Object.keys(errorTexts).sort()).toEqual([...printable].sort());
    // Every code the CLI prints has an exit code of its own.
    expect(cliErrorCodes.filter((code) => !Object.hasOwn(cliExitCodes, code))).toEqual([]);
  });

  it('says each sentence in both languages, naming the same values', () => {
    const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    const sentences: (readonly [string, Text])[] = [
      ...Object.entries(errorTexts).flatMap(([code, texts]) =>
        Object.entries(texts as Readonly<Record<string, Text>>).map(
          ([situation, text]) => [`${code}.${situation}`, text] as const,
        ),
      ),
      ...Object.entries(anyCodeTexts),
    ];
    for (const [name, text] of sentences) {
      expect([name, /[\p{Script=Han}\u3000-\u303F\uFF00-\uFF60]/u.test(text['zh-TW'])]).toEqual([name, true]);
      // zh-TW may leave out English detail (a peer's own words), never name a value English lacks.
      expect([name, placeholders(text['zh-TW']).filter((p) => !placeholders(text.en).includes(p))]).toEqual([name, []]);
    }
  });
});

describe('a failing command under zh-TW', () => {
  /** Real failures, one or more per code: the arguments and the code. */
  const failures: [string, () => string[], keyof typeof exitCodes | 'USAGE', RegExp?][] = [
    [
      'an id nobody anchored',
      () => zh(['status', missingId]),
      'CREDENTIAL_NOT_FOUND',
      /帳本上沒有此憑證：urn:uuid:0{8}/,
    ],
    ['the history of an id nobody anchored', () => zh(['history', missingId]), 'CREDENTIAL_NOT_FOUND'],
    [
      'revoking an id nobody anchored',
      () => zh(['revoke', missingId, '--reason', 'DISBARMENT']),
      'CREDENTIAL_NOT_FOUND',
    ],
    [
      'a second licence for one licence number',
      () =>
        zh([
          'issue',
          'LawyerLicenceCredential',
          '--name',
          '林怡君',
          '--licence-number',
          demoSubjects.lawyer.licenceNumber,
          '--admission-date',
          '2023-09-15',
          '--practice-status',
          'practising',
        ]),
      'SUBJECT_HAS_ACTIVE_CREDENTIAL',
    ],
    ['a reason revoke does not take', () => zh(['revoke', active, '--reason', 'SUSPENSION_LIFTED']), 'INVALID_INPUT'],
    ['SUPERSEDED by hand', () => zh(['revoke', active, '--reason', 'SUPERSEDED']), 'INVALID_INPUT'],
    ['suspending a revoked licence', () => zh(['suspend', revoked, '--reason', 'COURT_ORDER']), 'INVALID_TRANSITION'],
    [
      'another ministry revoking a licence',
      () => zh(['revoke', active, '--reason', 'DISBARMENT', '--as', 'MoeaMSP/operator']),
      'ACCESS_DENIED',
    ],
    ['an unknown type', () => zh(['issue', 'PilotLicenceCredential', '--name', 'x']), 'UNKNOWN_CREDENTIAL_TYPE'],
    [
      'a field breaking its rule',
      () =>
        zh(['issue', 'LawyerLicenceCredential', '--name', 'W\u0430ng', '--licence-number', '(115)台檢證字第099999號']),
      'SCHEMA_INVALID',
    ],
    ['an issuer nobody registered', () => zh(['issuer', 'show', 'did:web:nobody.example']), 'ISSUER_NOT_FOUND'],
    ['a file that is not there', () => zh(['verify', join(dir, 'missing.jwt')]), 'FILE_NOT_FOUND'],
    ['a time that is none', () => zh(['verify', active, '--at', 'yesterday-ish']), 'INVALID_INPUT'],
    ['a workspace made twice', () => zh(['init', workspace]), 'WORKSPACE_EXISTS'],
    [
      'a document from a credential id alone',
      () => zh(['document', active, '--out', join(dir, 'licence.pdf')]),
      'INVALID_INPUT',
      /只有憑證編號無法製作文件/,
    ],
    [
      'a token key named by half its flags',
      () =>
        zh([
          'issuer',
          'register',
          'did:web:bar.example',
          '--msp',
          'MojMSP',
          '--name-zh',
          '律師公會',
          '--name-en',
          'Bar',
          '--type',
          'LawyerLicenceCredential',
          '--pkcs11',
          '/usr/lib/none/libnone.so',
        ]),
      'INVALID_INPUT',
      /--pkcs11 <模組>、--token <標籤> 與 --key-label <標籤>/,
    ],
    [
      'a token PIN nobody gave',
      () =>
        zh([
          'issuer',
          'add-key',
          'did:web:moj.gov.tw',
          '--pkcs11',
          join(dir, 'libnone.so'),
          '--token',
          'moj-issuer',
          '--key-label',
          'moj-2026',
        ]),
      'PKCS11_PIN_REQUIRED',
      /沒有設定 CREDLEDGER_PKCS11_PIN，也沒有終端機可以詢問權杖 "moj-issuer" 的 PIN/,
    ],
    ['an unknown command', () => zh(['frobnicate']), 'USAGE', /沒有指令「frobnicate」/],
    ['an unknown option', () => zh(['status', active, '--bogus']), 'USAGE'],
    ['a missing argument', () => zh(['status']), 'USAGE'],
    ['a missing required option', () => zh(['issue-batch', 'LawyerLicenceCredential']), 'USAGE'],
    ['too many arguments', () => zh(['status', active, 'extra']), 'USAGE'],
  ];

  it.each(failures.map(([name, args, code, said]) => [name, args, code, said] as const))(
    '%s: one error line, in Chinese',
    async (_name, args, code, said) => {
      const result = await runCli(args());
      expectExit(result, code === 'USAGE' ? cliExitCodes.USAGE : exitCodes[code]);
      expect(errorLines(result)).toEqual([expect.stringMatching(new RegExp(`^error ${code}: \\S`))]);
      if (said) expect(errorLines(result)[0]).toMatch(said);
      expect(result.stderr).toMatch(/^提示: /m);
      expectNoEnglish(result);
    },
    60_000,
  );

  it('outside a workspace, by LANG alone', async () => {
    const result = await runCli(['status', active], { cwd: dir, env: { LANG: 'zh_TW.UTF-8' } });
    expectExit(result, exitCodes.WORKSPACE_NOT_FOUND);
    expect(errorLines(result)).toEqual(['error WORKSPACE_NOT_FOUND: 這裡及所有上層目錄都沒有 credledger.json']);
    expectNoEnglish(result);
  });

  it('with a broken credledger.json', async () => {
    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'credledger.json'), '{');
    const result = await runCli(['--lang', 'zh-TW', '-w', broken, 'status', active]);
    expectExit(result, exitCodes.CONFIG_INVALID);
    expectNoEnglish(result);
  });

  it('without a passphrase, and with a wrong one', async () => {
    const issue = zh([
      'issue',
      'LawyerLicenceCredential',
      '--name',
      '王大明',
      '--licence-number',
      '(114)台檢證字第000555號',
    ]);
    const args = [...issue, '--admission-date', '2025-09-01', '--practice-status', 'practising'];
    const none = await runCli(args, { unset: ['CREDLEDGER_KEY_PASSPHRASE'] });
    expectExit(none, exitCodes.PASSPHRASE_REQUIRED);
    expectNoEnglish(none);
    const wrong = await runCli(args, { env: { CREDLEDGER_KEY_PASSPHRASE: 'not the demo passphrase' } });
    expectExit(wrong, exitCodes.PASSPHRASE_WRONG);
    expectNoEnglish(wrong);
  }, 60_000);

  it('while another process holds the ledger', async () => {
    const release = await holdLedger(join(workspace, 'ledger'));
    try {
      const result = await runCli(zh(['status', active]));
      expectExit(result, exitCodes.LEDGER_LOCKED);
      expect(errorLines(result)).toEqual([
        expect.stringMatching(/^error LEDGER_LOCKED: 帳本 \S+ 正由另一個程序使用（程序 \d+）$/),
      ]);
      expectNoEnglish(result);
    } finally {
      await release();
    }
  }, 60_000);

  it('keeps English byte for byte under --lang en, and the English message in --json', async () => {
    const en = await runCli(['-w', workspace, 'status', missingId]);
    expect(errorLines(en)).toEqual([`error CREDENTIAL_NOT_FOUND: no credential ${missingId} is anchored`]);
    const asJson = await runCli([...zh(['status', missingId]), '--json']);
    expect(JSON.parse(asJson.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      error: { code: 'CREDENTIAL_NOT_FOUND', message: `no credential ${missingId} is anchored` },
    });
  });
});

describe('status and history under zh-TW', () => {
  it('say every code with its phrase, and nothing in English', async () => {
    for (const args of [
      ['status', revoked],
      ['status', active],
      ['history', revoked],
    ]) {
      const result = await runCli(zh(args));
      expectExit(result, 0);
      expectNoEnglish(result);
      for (const line of result.stdout.split('\n'))
        for (const code of line.match(/\b(ACTIVE|REVOKED|SUSPENDED|DISBARMENT)\b/g) ?? [])
          expect(line).toMatch(new RegExp(`${code}（[^A-Za-z）]+）`));
    }
    const status = await runCli(zh(['status', revoked]));
    expect(status.stdout.split('\n')[0]).toBe(`${revoked}  REVOKED（已撤銷）  理由：DISBARMENT（除名）`);
    expect(status.stdout).toMatch(/^ {2}帳本指紋: [0-9a-f]{64}$/m);
  });
});

describe('--help under zh-TW', () => {
  const commands = commandPaths();

  it.each(commands.map((path) => [path.join(' ') || '(program)', path]))(
    '%s --help: Chinese headings, descriptions and notes',
    async (_name, path) => {
      const result = await runCli(['--lang', 'zh-TW', ...(path as string[]), '--help']);
      expectExit(result, 0);
      expect(result.stdout).toMatch(/^用法： credledger/);
      for (const english of [
        'Usage:',
        'Options:',
        'Commands:',
        'Arguments:',
        'Global Options:',
        'display help',
        'output the version',
        'default:',
        'choices:',
      ])
        expect(result.stdout).not.toContain(english);
      // Each item's description, once its term (flags, names, placeholders) and the examples are set aside.
      const described = result.stdout
        .split('\n')
        .filter((line) => !line.startsWith('  $ '))
        .map((line) => line.replace(/^ {2}\S.*?\s{2,}/, '').replace(/^ {2}\S+$/, ''));
      expect(described.map((line) => [line, englishIn(line)] as const).filter(([, words]) => words.length > 0)).toEqual(
        [],
      );
    },
  );
});
