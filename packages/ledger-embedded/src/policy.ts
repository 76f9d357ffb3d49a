/**
 * Evaluates a key-level endorsement policy (a SignaturePolicyEnvelope, as fabric-shim's
 * KeyEndorsementPolicy writes it) against the MSP ids of the peers that endorsed a transaction.
 * Each endorsing peer satisfies the MEMBER and PEER roles of its own MSP.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment -- google-protobuf messages of the shim's protos are untyped */
type Evaluate = (endorsers: readonly string[]) => boolean;

/** Policies an evaluator keeps compiled; past this it starts again from none. */
const compiledLimit = 10_000;

/**
 * Evaluates key-level endorsement policies with the shim's protobuf messages, keeping each policy it
 * has seen compiled (the chaincode pins many keys to the same few policies). One per embedded network,
 * made with its shim runtime (network.ts); it lives and goes with the network.
 */
export class PolicyEvaluator {
  readonly #compiled = new Map<string, Evaluate>();

  /** @param protos fabric-shim's `@hyperledger/fabric-protos` (google-protobuf messages) */
  constructor(private readonly protos: any) {}

  /** Whether the endorsements of `endorsers` (MSP ids) satisfy the SignaturePolicyEnvelope `policyBytes`. */
  satisfies(policyBytes: Uint8Array, endorsers: readonly string[]): boolean {
    const cacheKey = Buffer.from(policyBytes).toString('base64');
    let evaluate = this.#compiled.get(cacheKey);
    if (!evaluate) {
      evaluate = compile(this.protos, policyBytes);
      if (this.#compiled.size >= compiledLimit) this.#compiled.clear();
      this.#compiled.set(cacheKey, evaluate);
    }
    return evaluate(endorsers);
  }
}

function compile(protos: any, policyBytes: Uint8Array): Evaluate {
  let envelope: any;
  try {
    envelope = protos.common.SignaturePolicyEnvelope.deserializeBinary(policyBytes);
  } catch {
    return () => false;
  }
  const principals: (string | null)[] = envelope.getIdentitiesList().map((p: any) => {
    if (p.getPrincipalClassification() !== protos.msp.MSPPrincipal.Classification.ROLE) return null;
    const role = protos.msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    const type = role.getRole();
    const { MEMBER, PEER } = protos.msp.MSPRole.MSPRoleType;
    return type === MEMBER || type === PEER ? (role.getMspIdentifier() as string) : null;
  });
  const rule = envelope.getRule();
  return (endorsers) => (rule ? evalRule(protos, rule, principals, new Set(endorsers)) : false);
}

function evalRule(protos: any, rule: any, principals: (string | null)[], endorsers: Set<string>): boolean {
  const { SignaturePolicy } = protos.common;
  switch (rule.getTypeCase()) {
    case SignaturePolicy.TypeCase.SIGNED_BY: {
      const msp = principals[rule.getSignedBy()];
      return msp !== undefined && msp !== null && endorsers.has(msp);
    }
    case SignaturePolicy.TypeCase.N_OUT_OF: {
      const n = rule.getNOutOf();
      const satisfied = n.getRulesList().filter((r: any) => evalRule(protos, r, principals, endorsers)).length;
      return satisfied >= n.getN();
    }
    default:
      return false;
  }
}
