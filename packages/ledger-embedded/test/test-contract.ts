/**
 * Test contracts for the embedded ledger, written as plain classes: `testContract` gives the class
 * fabric-contract-api's base and registers each named method as a transaction with string parameters,
 * as `@Transaction()` would with TypeScript's emitted parameter types.
 */
export interface Stub {
  putState(key: string, value: Uint8Array): Promise<void>;
  setStateValidationParameter(key: string, policy: Uint8Array): Promise<void>;
}

/** Fabric's key-level endorsement policy builder, as the tests use it. */
export type KeyPolicyBuilder = new () => { addOrgs(role: string, ...mspIds: string[]): void; getPolicy(): Uint8Array };

/**
 * The `contracts` option of `openNetwork` for one contract named `name`: `define(Base, KeyEndorsementPolicy)`
 * returns its class; `transactions` names each transaction method with its parameter count (ctx included).
 */
export function testContract(
  name: string,
  define: (base: new () => object, keyPolicy: KeyPolicyBuilder) => new () => object,
  transactions: Readonly<Record<string, number>>,
): () => Promise<readonly unknown[]> {
  return async () => {
    const api = (await import('fabric-contract-api')) as unknown as {
      Contract: new (name: string) => object;
      Context: unknown;
      Transaction: () => (target: object, name: string) => void;
    };
    const { KeyEndorsementPolicy } = (await import('fabric-shim')) as unknown as {
      KeyEndorsementPolicy: KeyPolicyBuilder;
    };
    const contract = define(
      class extends api.Contract {
        constructor() {
          super(name);
        }
      },
      KeyEndorsementPolicy,
    );
    const prototype = contract.prototype as object;
    const reflect = Reflect as unknown as { defineMetadata(k: string, v: unknown, t: object, p: string): void };
    for (const [method, arity] of Object.entries(transactions)) {
      reflect.defineMetadata(
        'design:paramtypes',
        [api.Context, ...Array.from({ length: arity - 1 }, () => String)],
        prototype,
        method,
      );
      api.Transaction()(prototype, method);
    }
    return [contract];
  };
}
