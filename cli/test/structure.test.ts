/**
 * The shape of the whole repository, checked from its sources (the CLI sits on top of every package):
 * no import circle between files of any package, only the package edges the layout allows
 * (docs/decisions/0012, 0014), no import of another package's `dist/` files, in sources or tests, and
 * no module-level mutable state in sources (docs/decisions/0029).
 * An edge the layout forbids but the code still has would be listed in `knownEdges` with the step of
 * issue 12 that removes it; the list may only shrink: an entry the code no longer needs fails the test
 * too, so it is deleted when its step lands.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Each workspace package's source folder, by package name (the root package.json's workspaces). */
const packages: Readonly<Record<string, string>> = Object.fromEntries(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.map(
    (folder) => [
      (JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as { name: string }).name,
      `${folder}/src`,
    ],
  ),
);

/**
 * Which credledger packages each package may import (by its `exports` map only). The vocabulary
 * depends on nothing; every package may depend on it; the chaincode on it alone.
 */
const allowed: Readonly<Record<string, readonly string[]>> = {
  '@credledger/vocabulary': [],
  '@credledger/chaincode': ['@credledger/vocabulary'],
  '@credledger/verify': ['@credledger/vocabulary'],
  // Worker threads for the packages that render (QR images, documents): Node only, so not in verify.
  '@credledger/workers': ['@credledger/vocabulary', '@credledger/verify'],
  '@credledger/documents': ['@credledger/verify', '@credledger/workers'],
  // Wallet protocols: the issuing and the ledger come in as functions, so no ledger or key code loads here.
  '@credledger/oid4vc': ['@credledger/verify', '@credledger/keys'],
  '@credledger/pkcs11': ['@credledger/verify'],
  '@credledger/keys': ['@credledger/verify'],
  // The interface package loads its backends by name at run time (optional peer dependencies), never
  // by a static import: a backend depends on it, not the reverse.
  '@credledger/ledger': ['@credledger/vocabulary', '@credledger/verify'],
  '@credledger/ledger-fabric': ['@credledger/verify', '@credledger/ledger'],
  '@credledger/ledger-embedded': [
    '@credledger/vocabulary',
    '@credledger/chaincode',
    '@credledger/verify',
    '@credledger/keys',
    '@credledger/ledger',
  ],
  // The HTTP service serves any ledger through the interface package, never a backend.
  '@credledger/server': ['@credledger/vocabulary', '@credledger/verify', '@credledger/keys', '@credledger/ledger'],
  // Issuing reaches the ledger through the interface package; the chaincode's records and wire shapes
  // are the vocabulary's, so no client loads the contract runtime.
  '@credledger/issuer': [
    '@credledger/vocabulary',
    '@credledger/verify',
    '@credledger/keys',
    '@credledger/ledger',
    '@credledger/workers',
  ],
  // The umbrella of Node programs: it re-exports, it holds no code of its own.
  '@credledger/sdk': [
    '@credledger/vocabulary',
    '@credledger/verify',
    '@credledger/keys',
    '@credledger/ledger',
    '@credledger/server',
    '@credledger/issuer',
  ],
  // The CLI reaches a ledger only through @credledger/ledger, never a backend package, and loads each
  // package for the commands that need it (never the @credledger/sdk umbrella, which loads them all).
  credledger: [
    '@credledger/vocabulary',
    '@credledger/verify',
    '@credledger/documents',
    '@credledger/pkcs11',
    '@credledger/keys',
    '@credledger/ledger',
    '@credledger/issuer',
    '@credledger/server',
    '@credledger/oid4vc',
  ],
  '@credledger/verifier-web': ['@credledger/vocabulary', '@credledger/verify', '@credledger/documents'],
};

/** The subpaths (`./formats`) each package's `exports` map names, besides `.`. */
const exported: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(packages).map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, '..', 'package.json'), 'utf8')) as {
      exports?: Record<string, unknown>;
    };
    return [name, Object.keys(manifest.exports ?? {}).filter((key) => key !== '.' && key !== './package.json')];
  }),
);

/** Imports the layout forbids that the code still has: `file → specifier`, and what removes each. */
const knownEdges: Readonly<Record<string, string>> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Every TypeScript and JavaScript file of a package's sources and tests (not its build output). */
function allFiles(packageDir: string): string[] {
  return ['src', 'test']
    .filter((dir) => existsSync(join(root, packageDir, dir)))
    .flatMap((dir) =>
      readdirSync(join(root, packageDir, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.(ts|mjs|cjs|js)$/.test(entry.name))
        .map((entry) => relative(root, join(entry.parentPath, entry.name))),
    );
}

/** Static and dynamic import specifiers of a file (type-only imports included: they tie files too). */
function specifiers(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ];
  return found.map((match) => match[1] ?? '');
}

/** The file a relative specifier names (`./x.js` is `./x.ts`, a folder its index). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(join(root, candidate))) return candidate;
  return undefined;
}

/** Every strongly connected set of two or more files (Tarjan), each as a sorted list. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const files = Object.entries(packages).flatMap(([name, dir]) => sourceFiles(dir).map((file) => ({ name, file })));

/**
 * Source folders not yet held to the no-module-state rule, and why. The list may only shrink: a folder
 * that has none left (or is gone) fails the test until it is deleted here.
 */
const stateNotChecked: Readonly<Record<string, string>> = {};

/** Module-level state a checked folder may keep, as `file name` → why. None; it may only shrink. */
const knownState: Readonly<Record<string, string>> = {};

const readOnlyCollection: Readonly<Record<string, string>> = { Map: 'ReadonlyMap', Set: 'ReadonlySet' };

interface ModuleState {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly name: string;
}

/**
 * The module-level mutable state of one source file: a top-level `let` or `var`, a top-level Map or Set
 * not typed ReadonlyMap / ReadonlySet (so that the compiler refuses a write), and any top-level WeakMap
 * or WeakSet. Immutable tables (`const x: ReadonlySet<…> = new Set([…])`) pass.
 */
function moduleState(file: string, text: string): ModuleState[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: ModuleState[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const flags = statement.declarationList.flags;
    const kind = flags & ts.NodeFlags.Let ? 'let' : flags & ts.NodeFlags.Const ? 'const' : 'var';
    for (const declaration of statement.declarationList.declarations) {
      const line = source.getLineAndCharacterOfPosition(declaration.getStart(source)).line + 1;
      const name = declaration.name.getText(source);
      if (kind !== 'const') {
        found.push({ file, line, kind, name });
        continue;
      }
      const init = declaration.initializer;
      if (!init || !ts.isNewExpression(init) || !ts.isIdentifier(init.expression)) continue;
      const collection = init.expression.text;
      if (!['Map', 'Set', 'WeakMap', 'WeakSet'].includes(collection)) continue;
      const type = declaration.type;
      const typed =
        type !== undefined && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName.text : '';
      if (typed === '' || typed !== readOnlyCollection[collection]) found.push({ file, line, kind: collection, name });
    }
  }
  return found;
}

describe('the repository’s structure', () => {
  it('has a rule for every workspace package', () => {
    expect(Object.keys(packages).sort()).toEqual(Object.keys(allowed).sort());
  });

  it('keeps the SDK an umbrella: one index of re-exports, no code of its own', () => {
    const sdk = files.filter(({ name }) => name === '@credledger/sdk').map(({ file }) => file);
    expect(sdk).toEqual(['sdk/src/index.ts']);
    const statements = readFileSync(join(root, 'sdk/src/index.ts'), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .split(';')
      .map((statement) => statement.trim())
      .filter(Boolean);
    expect(
      statements.filter(
        (statement) => !/^export (\*|(type )?\{[^}]*\}) from '@credledger\/[a-z-]+(\/[a-z-]+)?'$/.test(statement),
      ),
    ).toEqual([]);
  });

  it('has no import circle between files', () => {
    const graph = new Map<string, string[]>();
    for (const { file } of files)
      graph.set(
        file,
        specifiers(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolveRelative(file, s))
          .filter((target): target is string => target !== undefined),
      );
    expect(files.length).toBeGreaterThan(100);
    expect(circles(graph)).toEqual([]);
  });

  it('the check itself finds a circle', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('has only the package edges the layout allows, through each package’s exports', () => {
    const forbidden: string[] = [];
    for (const { name, file } of files) {
      for (const specifier of specifiers(file)) {
        const target = /^(@credledger\/[^/]+)(\/.*)?$/.exec(specifier);
        if (!target) continue;
        const [, targetPackage = '', subpath = ''] = target;
        const deep = subpath !== '' && !(exported[targetPackage] ?? []).includes(`.${subpath}`);
        if (targetPackage === name || (allowed[name]?.includes(targetPackage) && !deep)) continue;
        forbidden.push(`${file} → ${specifier}`);
      }
    }
    expect(forbidden.filter((edge) => !(edge in knownEdges))).toEqual([]);
    // A known edge the code no longer has is done: delete it from the list.
    expect(Object.keys(knownEdges).filter((edge) => !forbidden.includes(edge))).toEqual([]);
  });

  it('imports no package’s dist/ files, in sources or tests', () => {
    const deep = Object.values(packages)
      .flatMap((dir) => allFiles(dirname(dir)))
      .flatMap((file) => specifiers(file).map((specifier) => `${file} → ${specifier}`))
      .filter((edge) => /→ @credledger\/[^/]+\/dist(\/|$)/.test(edge));
    expect(deep).toEqual([]);
  });

  it('declares in package.json every credledger package it imports, and no other', () => {
    for (const [name, dir] of Object.entries(packages)) {
      const manifest = JSON.parse(readFileSync(join(root, dir, '..', 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const declared = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@credledger/'));
      const imported = new Set(
        files
          .filter((f) => f.name === name)
          .flatMap(({ file }) => specifiers(file))
          .map((s) => /^(@credledger\/[^/]+)/.exec(s)?.[1])
          .filter((p): p is string => p !== undefined && p !== name),
      );
      expect({ name, declared: declared.sort() }).toEqual({ name, declared: [...imported].sort() });
    }
  });

  it('keeps no module-level mutable state in the sources of a package', () => {
    const checked = Object.values(packages).filter((dir) => !(dir in stateNotChecked));
    expect(checked).toEqual(expect.arrayContaining(['cli/src', 'chaincode/src', 'verifier-web/src']));
    const state = checked
      .flatMap((dir) => sourceFiles(dir))
      .flatMap((file) => moduleState(file, readFileSync(join(root, file), 'utf8')));
    expect(
      state.filter((s) => !(`${s.file} ${s.name}` in knownState)).map((s) => `${s.file}:${s.line} ${s.kind} ${s.name}`),
    ).toEqual([]);
    // An exception the code no longer needs is done: delete it from the list.
    const named = new Set(state.map((s) => `${s.file} ${s.name}`));
    expect(Object.keys(knownState).filter((entry) => !named.has(entry))).toEqual([]);
    // A folder still left out must still exist and still have state; once it has none, it is checked.
    for (const dir of Object.keys(stateNotChecked)) {
      expect({ dir, exists: existsSync(join(root, dir)) }).toEqual({ dir, exists: true });
      const left = sourceFiles(dir).flatMap((file) => moduleState(file, readFileSync(join(root, file), 'utf8')));
      expect({ dir, hasState: left.length > 0 }).toEqual({ dir, hasState: true });
    }
  });

  it('the check itself finds module-level state, and passes read-only tables', () => {
    const text = [
      'let cached: string | undefined;',
      'export let counter = 0;',
      'var legacy = 1;',
      'const keys = new Map<string, CryptoKey>();',
      'const seen = new WeakMap<object, number>();',
      'const names: Set<string> = new Set();',
      'const table: ReadonlyMap<string, number> = new Map([["a", 1]]);',
      'const allowed: ReadonlySet<string> = new Set(["a"]);',
      'const list = ["a"] as const;',
      'function f(): void { let inside = 1; inside++; }',
    ].join('\n');
    expect(moduleState('x.ts', text).map((s) => `${s.file}:${s.line} ${s.kind} ${s.name}`)).toEqual([
      'x.ts:1 let cached',
      'x.ts:2 let counter',
      'x.ts:3 var legacy',
      'x.ts:4 Map keys',
      'x.ts:5 WeakMap seen',
      'x.ts:6 Set names',
    ]);
  });
});
