// ESLint flat config: typescript-eslint's strict type-checked rules on every package's sources.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'network/out/**',
      'verifier-web/build/**',
      'bench/results/**',
      '**/test-results/**',
      'coverage/**',
      'docs/api-reference/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      // Each package's tsconfig.test.json covers both src/ and test/.
      parserOptions: {
        project: [
          './packages/vocabulary/tsconfig.test.json',
          './chaincode/tsconfig.test.json',
          './packages/verify/tsconfig.test.json',
          './packages/keys/tsconfig.test.json',
          './packages/ledger/tsconfig.test.json',
          './packages/ledger-fabric/tsconfig.test.json',
          './packages/ledger-embedded/tsconfig.test.json',
          './packages/workers/tsconfig.test.json',
          './packages/oid4vc/tsconfig.test.json',
          './packages/documents/tsconfig.test.json',
          './packages/pkcs11/tsconfig.test.json',
          './packages/server/tsconfig.test.json',
          './packages/issuer/tsconfig.test.json',
          './sdk/tsconfig.test.json',
          './cli/tsconfig.test.json',
          './verifier-web/tsconfig.test.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests use fakes with async signatures and assert on values they know are present.
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.node },
    },
  },
);
