/**
 * How the embedded ledger fails a call: `EmbeddedLedgerError`, which carries the failure in the form
 * `fromLedgerError` classifies (`LedgerFailure`: the phase, a gRPC-style status, each peer's account, the
 * chaincode's own response, or the validation code of an invalid commit). The status numbers are
 * Fabric's, so both backends map through one table; nothing imitates fabric-gateway's error classes,
 * and a chaincode failure is carried as its status and message, never read back from a sentence. The
 * peer socket carries the same failure across processes.
 */
import {
  LedgerCallError,
  type ChaincodeResponse,
  type GatewayPhase,
  type PeerErrorDetail,
} from '@credledger/ledger/backend';

/** One endorsing peer's account of a failure. */
export type PeerDetail = PeerErrorDetail;

/** The phases of a call that fails before commit. */
export type CallPhase = Exclude<GatewayPhase, 'commit'>;

/** A failed call of the embedded ledger. */
export class EmbeddedLedgerError extends LedgerCallError {
  override readonly name = 'EmbeddedLedgerError';
}

/** A call that failed in `phase` with a gRPC status, each peer's account and, if it ran, the chaincode's response. */
export function callFailed(
  phase: CallPhase,
  grpcCode: number,
  message: string,
  peers: readonly PeerDetail[] = [],
  extra: { readonly txId?: string | undefined; readonly chaincode?: ChaincodeResponse | undefined } = {},
): EmbeddedLedgerError {
  return new EmbeddedLedgerError({
    kind: 'gateway',
    phase,
    grpcCode,
    message,
    peers,
    ...(extra.txId === undefined ? {} : { txId: extra.txId }),
    ...(extra.chaincode === undefined ? {} : { chaincode: extra.chaincode }),
  });
}

/** A transaction that was ordered and then marked invalid at commit (its validation code). */
export function commitFailed(validationCode: number, txId: string): EmbeddedLedgerError {
  return new EmbeddedLedgerError({ kind: 'commit', validationCode, txId });
}
