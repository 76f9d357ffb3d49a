/**
 * The ledger's Registry and the chaincode agree on the wire: transaction names and the batch limit. (Error codes,
 * statuses and reason codes need no such check: both take them from @credledger/vocabulary.)
 * Loads the built chaincode (`tsc -b` runs before the tests).
 */
import { describe, expect, it } from '@jest/globals';
import { maxCredentialsPerTransaction, transactionNames } from '../src/registry.js';

const chaincode = (await import('@credledger/chaincode')) as unknown as {
  contracts: (new () => { getName(): string })[];
  maxBatchSize: number;
};

describe('Registry ↔ chaincode', () => {
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
    expect(maxCredentialsPerTransaction).toBe(chaincode.maxBatchSize);
  });
});
