/**
 * The messages of the peer socket: how a process that wants a ledger another process holds reaches the
 * holder's peer (docs/decisions/0009). The client signs proposals and transactions with its own
 * identity, as a Fabric client does for a Gateway; the holder's peer checks them and runs the chaincode
 * under that creator. Every request carries an `id`; replies carry it back (`result`, `error`, or for an
 * event stream any number of `event`s, then `end`), so one connection carries concurrent calls.
 */
import { join } from 'node:path';
import { CredledgerError, errorCodes, type ErrorCode } from '@credledger/verify';
import type { LedgerEvent } from '@credledger/ledger';
import type { LedgerFailure } from '@credledger/ledger/backend';
import { EmbeddedLedgerError } from './errors.js';
import type { SignedRequest } from './signed-request.js';

/** Bumped when a message changes meaning; a holder refuses a client of another version. */
export const peerProtocolVersion = 2;

/**
 * Where the holder of a ledger listens: a fixed path in an owner-only folder of the ledger folder, so
 * only the owner of the ledger (the same operating-system user) can connect.
 */
export function peerSocketPath(ledgerDirectory: string): string {
  return join(ledgerDirectory, 'run', 'peer.sock');
}

/** What a client asks. Binary fields (proposals, signatures, payloads) are base64. */
export type PeerRequest =
  | { readonly id: number; readonly op: 'hello'; readonly protocol: number }
  /** A SignedProposal to run on committed state; its writes are discarded. */
  | { readonly id: number; readonly op: 'evaluate'; readonly proposal: string }
  /** A SignedProposal to endorse: the reply holds the prepared transaction for the creator to sign. */
  | { readonly id: number; readonly op: 'endorse'; readonly proposal: string }
  /** Orders a transaction endorsed on this connection, with the creator's signature over its bytes. */
  | { readonly id: number; readonly op: 'submit'; readonly txId: string; readonly signature: string }
  /**
   * Chaincode events from a block on (`startBlock`, `afterTxId` as strings in the signed body). A stream
   * has a connection of its own and ends when the client closes it.
   */
  | { readonly id: number; readonly op: 'events'; readonly request: SignedRequest }
  | { readonly id: number; readonly op: 'verifyChain'; readonly request: SignedRequest };

export interface HelloResult {
  readonly protocol: number;
  readonly channel: string;
  readonly chaincode: string;
  /** Ledger height (decimal). */
  readonly height: string;
  /** MSP ids of the channel's organisations. */
  readonly orgs: readonly string[];
  /** The holder's local identities (`MspId/user`), in its order. */
  readonly identities: readonly string[];
  /** The holding process, for messages. */
  readonly pid: number;
}

export interface EndorseResult {
  readonly txId: string;
  /** The chaincode's response payload. */
  readonly payload: string;
  /** The prepared transaction, exactly as its block will hold it; the creator signs these bytes. */
  readonly transaction: string;
}

export interface SubmitResult {
  /** Decimal block number. */
  readonly blockNumber: string;
  /** Transaction validation code (0 VALID). */
  readonly code: number;
}

/** A chaincode event on the wire: block number as a decimal string, payload base64. */
export interface WireEvent {
  readonly blockNumber: string;
  readonly txId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: string;
}

/**
 * A failure on the wire: a ledger call's failure as it is (the client raises the same
 * `EmbeddedLedgerError`, so `fromLedgerError` sees what it sees in-process), a CredledgerError's code, or
 * a defect's message.
 */
export type WireError =
  | { readonly kind: 'ledger'; readonly failure: LedgerFailure }
  | {
      readonly kind: 'credledger';
      readonly code: string;
      readonly message: string;
      readonly details: Readonly<Record<string, unknown>>;
    }
  /** Anything else the holder failed with (a defect there); only its message crosses. */
  | { readonly kind: 'internal'; readonly message: string };

/** What the holder sends. */
export type PeerReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: WireError }
  | { readonly id: number; readonly event: WireEvent }
  | { readonly id: number; readonly end: true };

export function toWireEvent(event: LedgerEvent): WireEvent {
  return {
    blockNumber: event.blockNumber.toString(),
    txId: event.txId,
    chaincodeName: event.chaincodeName,
    eventName: event.eventName,
    payload: Buffer.from(event.payload).toString('base64'),
  };
}

export function fromWireEvent(event: WireEvent): LedgerEvent {
  return {
    blockNumber: BigInt(event.blockNumber),
    txId: event.txId,
    chaincodeName: event.chaincodeName,
    eventName: event.eventName,
    payload: new Uint8Array(Buffer.from(event.payload, 'base64')),
  };
}

export function toWireError(err: unknown): WireError {
  if (err instanceof EmbeddedLedgerError) return { kind: 'ledger', failure: err.failure };
  if (err instanceof CredledgerError) {
    let details: Readonly<Record<string, unknown>> = {};
    try {
      details = JSON.parse(
        JSON.stringify(err.details, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
      ) as Record<string, unknown>;
    } catch {
      // Details that do not serialise stay behind; the code and message cross.
    }
    return { kind: 'credledger', code: err.code, message: err.message, details };
  }
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The error a client raises for a wire failure: the holder's EmbeddedLedgerError (for `fromLedgerError`,
 * as in-process), a CredledgerError with the holder's code, or LEDGER_UNAVAILABLE for a defect in the holder.
 */
export function fromWireError(wire: WireError, holderPid: number): Error {
  switch (wire.kind) {
    case 'ledger':
      return new EmbeddedLedgerError(wire.failure);
    case 'credledger':
      return new CredledgerError(
        (errorCodes as readonly string[]).includes(wire.code) ? (wire.code as ErrorCode) : 'LEDGER_UNAVAILABLE',
        wire.message,
        { details: { ...wire.details, holderPid } },
      );
    case 'internal':
      return new CredledgerError(
        'LEDGER_UNAVAILABLE',
        `the process holding the ledger (${holderPid}) failed: ${wire.message}`,
        { details: { holderPid } },
      );
  }
}
