/**
 * Evaluates a key-level endorsement policy (a SignaturePolicyEnvelope, as fabric-shim's
 * KeyEndorsementPolicy writes it) against the MSP ids of the peers that endorsed a transaction.
 * Each endorsing peer satisfies the MEMBER and PEER roles of its own MSP.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment -- google-protobuf messages of the shim's protos are untyped */
let protos: any;

/** Gives the evaluator the shim's protobuf messages (loaded with fabric-shim). */
export function usePolicyProtos(p: unknown): void {
  protos = p;
}

const cache = new Map<string, (endorsers: readonly string[]) => boolean>();

export function satisfiesPolicy(policyBytes: Uint8Array, endorsers: readonly string[]): boolean {
  const cacheKey = Buffer.from(policyBytes).toString('base64');
  let evaluate = cache.get(cacheKey);
  if (!evaluate) {
    evaluate = compile(policyBytes);
    if (cache.size > 10_000) cache.clear();
    cache.set(cacheKey, evaluate);
  }
  return evaluate(endorsers);
}

function compile(policyBytes: Uint8Array): (endorsers: readonly string[]) => boolean {
  if (!protos) throw new Error('policy evaluator used before fabric-shim was loaded');
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
  return (endorsers) => (rule ? evalRule(rule, principals, new Set(endorsers)) : false);
}

function evalRule(rule: any, principals: (string | null)[], endorsers: Set<string>): boolean {
  const { SignaturePolicy } = protos.common;
  switch (rule.getTypeCase()) {
    case SignaturePolicy.TypeCase.SIGNED_BY: {
      const msp = principals[rule.getSignedBy()];
      return msp !== undefined && msp !== null && endorsers.has(msp);
    }
    case SignaturePolicy.TypeCase.N_OUT_OF: {
      const n = rule.getNOutOf();
      const satisfied = n.getRulesList().filter((r: any) => evalRule(r, principals, endorsers)).length;
      return satisfied >= n.getN();
    }
    default:
      return false;
  }
}
