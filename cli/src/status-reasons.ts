/**
 * The reasons `revoke`, `suspend` and `reinstate` accept: what the wiring lists in their help and
 * what their action checks before anything is read from or sent to the ledger.
 */
import { credentialTransitions, type CredentialStatus, type ReasonCode } from '@credledger/vocabulary';

/** The status an action moves credentials into. */
export type TargetStatus = CredentialStatus;

/**
 * The reasons an action accepts: those the credential status machine allows for some transition into
 * its target status (`credentialTransitions` of @credledger/vocabulary, the one source of these rules
 * that the chaincode enforces), in its order. The vocabulary is plain data, so `--help` still loads
 * nothing of the sdk or Fabric.
 */
export function reasonsForStatus(status: TargetStatus): readonly ReasonCode[] {
  const reasons = new Set<ReasonCode>();
  for (const from of Object.values(credentialTransitions)) for (const reason of from[status] ?? []) reasons.add(reason);
  return [...reasons];
}

/**
 * Reasons only issuance sets: SUPERSEDED revokes a credential in the transaction that anchors its
 * successor (`issue --supersede`), linking the two; by hand it would leave a credential "superseded" by
 * nothing.
 */
export const setByIssuance: readonly ReasonCode[] = ['SUPERSEDED'];

/** The reasons an operator may give an action by hand: the chaincode's, less those only issuance sets. */
export function reasonsByHand(status: TargetStatus): readonly ReasonCode[] {
  return reasonsForStatus(status).filter((reason) => !setByIssuance.includes(reason));
}
