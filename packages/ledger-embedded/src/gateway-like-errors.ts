/**
 * The embedded peer fails with errors shaped as @hyperledger/fabric-gateway's (GatewayError and its
 * EndorseError, SubmitError and CommitStatusError subclasses, CommitError), so `fromLedgerError`
 * treats both backends alike. The peer socket carries them across processes in these shapes too.
 */
import { txValidationCodes } from '@credledger/ledger/backend';

/** One endorsing peer's account of a failure (`gateway.ErrorDetail`). */
export interface PeerDetail {
  readonly address: string;
  readonly mspId: string;
  readonly message: string;
}

/** A Gateway call that failed: a gRPC status code, a message and per-peer details. */
export class GatewayLikeError extends Error {
  constructor(
    override readonly name: 'GatewayError' | 'EndorseError' | 'SubmitError' | 'CommitStatusError',
    readonly code: number,
    message: string,
    readonly details: PeerDetail[],
    readonly transactionId?: string,
  ) {
    super(message);
  }
}

/** A transaction that was ordered and then marked invalid at commit (its validation code). */
export class CommitLikeError extends Error {
  override readonly name = 'CommitError';
  constructor(
    readonly code: number,
    readonly transactionId: string,
  ) {
    super(
      `Transaction ${transactionId} failed to commit with status code ${code} (${txValidationCodes[code] ?? 'UNKNOWN'})`,
    );
  }
}
