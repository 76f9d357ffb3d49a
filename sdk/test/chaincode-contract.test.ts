/**
 * The sdk and the chaincode agree on the wire: error codes, transaction names, batch limit.
 * Loads the built chaincode (`tsc -b` runs before the tests).
 */
import { describe, expect, it } from '@jest/globals';
import { chaincodeErrorCodes } from '@credledger/verify';
import { maxCredentialsPerTransaction, transactionNames } from '../src/registry.js';

const chaincode = (await import('@credledger/chaincode')) as unknown as {
  contracts: (new () => { getName(): string })[];
};
const codes = (await import('@credledger/chaincode/dist/codes.js')) as unknown as {
  chaincodeErrorCodes: readonly string[];
};
const parse = (await import('@credledger/chaincode/dist/parse.js')) as unknown as { maxBatchSize: number };

describe('sdk ↔ chaincode', () => {
  it('know the same error codes', () => {
    expect([...codes.chaincodeErrorCodes].sort()).toEqual([...chaincodeErrorCodes].sort());
  });

  it('name only transactions the contracts define', () => {
    const defined = new Set(
      chaincode.contracts.flatMap((Contract) => {
        const name = new Contract().getName();
        return Object.getOwnPropertyNames(Contract.prototype)
          .filter((method) => /^[A-Z]/.test(method))
          .map((method) => `${name}:${method}`);
      }),
    );
    expect(Object.values(transactionNames).filter((name) => !defined.has(name))).toEqual([]);
    expect([...defined].filter((name) => !(Object.values(transactionNames) as string[]).includes(name))).toEqual([]);
  });

  it('agree on the batch limit', () => {
    expect(maxCredentialsPerTransaction).toBe(parse.maxBatchSize);
  });
});
