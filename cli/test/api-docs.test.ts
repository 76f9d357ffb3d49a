/**
 * `npm run docs` builds the API reference (TypeDoc, typedoc.json) of the public packages from their
 * `exports` maps. Built here into a temp folder (`--out`), it must succeed with no warning, document
 * every public package and each entry of its `exports` map (`@credledger/verify/formats` as well as
 * `@credledger/verify`), give every value an entry exports at run time its place on that entry's page,
 * and name the exports a reader comes for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { expectExit, runCommand, tempDir, type CliResult } from './cli.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The public packages' folders: what the reference covers. */
const folders = [
  'packages/verify',
  'packages/ledger',
  'packages/server',
  'packages/issuer',
  'packages/documents',
  'packages/workers',
  'packages/oid4vc',
  'packages/pkcs11',
  'packages/keys',
  'packages/vocabulary',
  'sdk',
];

/** Exports a reader of each entry's page comes for. */
const knownExports: Readonly<Record<string, readonly string[]>> = {
  '@credledger/verify': ['verifyCredential', 'decodeCredential', 'offlineStatusSource', 'CredledgerError'],
  '@credledger/verify/formats': ['encodeCredentialLink', 'signStatusList'],
  '@credledger/ledger': ['openLedger', 'Registry', 'Ledger'],
  '@credledger/ledger/backend': ['recognizeLedgerFailure'],
  '@credledger/server': ['startServer', 'watch', 'createIssuerResolver'],
  '@credledger/documents': ['createDocumentRenderer', 'renderCredentialDocument'],
  '@credledger/documents/reader': ['readDocumentCredential'],
  '@credledger/workers': ['createWorkerPool', 'serveTasks', 'workerFile'],
  '@credledger/oid4vc': ['createWalletIssuer', 'openOfferStore'],
  '@credledger/pkcs11': ['openToken', 'Pkcs11Error'],
  '@credledger/keys': ['sealBytes', 'writeSecretFileAtomic'],
  '@credledger/vocabulary': ['reasonCodes', 'credentialStatuses'],
  '@credledger/issuer': ['createIssuer', 'statusIndexAllocators', 'renderPng'],
  '@credledger/sdk': ['createIssuer', 'openLedger', 'startServer'],
};

interface Manifest {
  readonly name: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

const manifests: readonly Manifest[] = folders.map(
  (folder) => JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest,
);

/** Every import specifier of the public packages (`@credledger/verify/formats`), from the `exports` maps. */
const specifiers: readonly string[] = manifests.flatMap((manifest) =>
  Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.replace(/^\.\//, '')}`)),
);

/** A member listed on a module page: its name and TypeDoc's kind ("Function", "Class", "Module", …). */
interface Member {
  readonly name: string;
  readonly kind: string;
  readonly href: string | undefined;
}

/** The members a page lists (its summary table), in page order. */
function membersOf(html: string): Member[] {
  return [...html.matchAll(/<dt class="tsd-member-summary"[^>]*>([\s\S]*?)<\/dt>/g)].map((match) => {
    const item = match[1] ?? '';
    const kind = /aria-label="([^"]+)"/.exec(item)?.[1] ?? '';
    // A member of its own: `<a href=…>name</a>`; a re-export of a member of another entry: `<span>name</span> → <a>`.
    const own = /<a href="([^"#]+)"[^>]*>([^<]+)<\/a>/.exec(item);
    const reference = /<span>([^<]+)<\/span><span> → <\/span>/.exec(item);
    return reference
      ? { name: reference[1] ?? '', kind, href: undefined }
      : { name: own?.[2] ?? '', kind, href: own?.[1] };
  });
}

let out = '';
let cleanup: () => Promise<void> = () => Promise.resolve();
let build: CliResult;

/** A page of the built site, by its path relative to the site's root. */
function page(path: string): string {
  if (!existsSync(join(out, path))) throw new Error(`the reference has no ${path} (the build exited ${build.code})`);
  return readFileSync(join(out, path), 'utf8');
}

/**
 * Each entry's members, by import specifier. A package of one entry lists its members on its own page;
 * a package of several lists one module per entry, named by its specifier.
 */
function entries(): Map<string, Member[]> {
  const found = new Map<string, Member[]>();
  for (const { name, href } of membersOf(page('index.html'))) {
    if (href === undefined) continue;
    const members = membersOf(page(href));
    const modules = members.filter((member) => member.kind === 'Module');
    if (modules.length === 0) found.set(name, members);
    for (const module of modules) {
      if (module.href !== undefined) found.set(module.name, membersOf(page(join(dirname(href), module.href))));
    }
  }
  return found;
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir('credledger-docs-'));
  out = join(dir, 'api-reference');
  build = await runCommand('npm', ['run', 'docs', '--', '--out', out], root);
  // A guard against a hung build on a slow shared machine, not a performance expectation.
}, 300_000);

afterAll(async () => {
  await cleanup();
});

describe('npm run docs', () => {
  it('builds the reference into the folder --out names, with no warning', () => {
    expectExit(build, 0);
    expect(`${build.stdout}\n${build.stderr}`).not.toContain('[warning]');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('has a page for each public package, which shows its README', () => {
    const listed = membersOf(page('index.html'));
    expect(listed.map((member) => member.name).sort()).toEqual(manifests.map((manifest) => manifest.name).sort());
    for (const { name, href } of listed) {
      expect(href).toBeDefined();
      // Every package's README opens with a heading that starts with its name (the page's own title is
      // `Module <name>`).
      expect(page(href ?? '')).toMatch(new RegExp(`<h1 [^>]*class="tsd-anchor-link"[^>]*>${name}[ <]`));
    }
  });

  it('documents each entry of the exports maps, and no module besides', () => {
    expect([...entries().keys()].sort()).toEqual([...specifiers].sort());
  });

  it.each(specifiers)('lists on the page of %s every value it exports at run time', async (specifier) => {
    const documented = new Set((entries().get(specifier) ?? []).map((member) => member.name));
    const runtime = Object.keys((await import(specifier)) as Record<string, unknown>);
    expect(runtime.length).toBeGreaterThan(0);
    expect(runtime.filter((name) => !documented.has(name))).toEqual([]);
  });

  it.each(Object.entries(knownExports))('names what a reader of %s comes for', (specifier, names) => {
    const members = entries().get(specifier) ?? [];
    for (const name of names) {
      const member = members.find((candidate) => candidate.name === name);
      expect({ specifier, name, documented: member !== undefined }).toEqual({ specifier, name, documented: true });
      // A member of the entry's own has a page of its own, which names it.
      if (member?.href !== undefined) expect(page(join('modules', member.href))).toContain(name);
    }
  });
});
