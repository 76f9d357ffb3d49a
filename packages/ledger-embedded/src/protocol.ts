/**
 * `@credledger/ledger-embedded/protocol`: how a process reaches the embedded ledger another process holds
 * (docs/decisions/0009) — where the owner-only socket is, the protocol version, and the length-prefixed
 * JSON frames both ends exchange. For tools and tests that speak to a holder directly; applications
 * open the ledger with `sharing` instead.
 */
export { encodeFrame, FrameReader } from './peer-socket-frames.js';
export { peerProtocolVersion, peerSocketPath } from './peer-socket-protocol.js';
