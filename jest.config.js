// One jest run, one project per package: the chaincode is CommonJS, the rest ESM (the vocabulary's
// sources and tests are ES modules; its CommonJS build is checked from a child Node).
// Tests run after `tsc -b`, so packages import each other's built `dist`.

// Tests drive real ledgers, child processes and a browser: the timeout is a guard against hangs on a
// slow shared machine, not a performance expectation.
const testTimeout = 60_000;

const esm = (name, extra = {}) => ({
  displayName: name.replace(/^packages\//, ''),
  testTimeout,
  rootDir: `<rootDir>/${name}`,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  ...extra,
});

export default {
  testTimeout,
  projects: [
    {
      displayName: 'chaincode',
      testTimeout,
      rootDir: '<rootDir>/chaincode',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
      },
    },
    esm('packages/vocabulary'),
    esm('packages/verify'),
    esm('packages/workers'),
    esm('packages/oid4vc'),
    esm('packages/documents'),
    esm('packages/pkcs11'),
    esm('packages/ledger'),
    esm('packages/ledger-fabric'),
    esm('packages/ledger-embedded'),
    esm('packages/server'),
    esm('packages/issuer'),
    esm('cli'),
    esm('verifier-web'),
  ],
};
