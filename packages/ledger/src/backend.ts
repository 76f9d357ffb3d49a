/**
 * `@credledger/ledger/backend`: what a backend package builds on, beside the public types — the
 * recognition of fabric-gateway-shaped failures, the `LedgerCallError` a backend fails with in the
 * recognised form, and the gRPC and transaction-validation codes they use.
 * Applications do not need this entry.
 *
 * @module @credledger/ledger/backend
 */
export {
  grpcStatus,
  LedgerCallError,
  recognizeLedgerFailure,
  recognizeOrderingFailure,
  txValidationCodes,
  type ChaincodeResponse,
  type GatewayPhase,
  type LedgerFailure,
  type OrderingFailure,
  type PeerErrorDetail,
} from './fabric-errors.js';
