/**
 * Signed proposals exactly as @hyperledger/fabric-gateway builds them, and the peer-side checks a Fabric
 * endorser makes before running chaincode (creator chains to its MSP's CA, signature, txid).
 * @see https://hyperledger-fabric.readthedocs.io/en/release-2.5/txflow.html
 */
import { createHash, randomBytes, sign, verify, type KeyObject, X509Certificate } from 'node:crypto';
import type { FabricShim } from './shim.js';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- google-protobuf messages of the shim's protos are untyped */

/** P-256 group order: ECDSA signatures are normalised to low-S as Fabric requires. */
const p256n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** A signed proposal and what the client keeps of it. */
export interface BuiltProposal {
  readonly txId: string;
  readonly bytes: Uint8Array;
}

/**
 * Who signs a proposal and the transaction made of it: an MSP, a certificate, and an ECDSA P-256
 * signature (DER, low-S) over bytes — with a key of this process or through an external signer.
 */
export interface Creator {
  readonly mspId: string;
  readonly certificate: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** A creator whose private key is in this process. */
export function keyCreator(identity: { mspId: string; certificate: string; key(): Promise<KeyObject> }): Creator {
  const { mspId, certificate } = identity;
  return { mspId, certificate, sign: async (data) => signLowS(await identity.key(), data) };
}

/**
 * A creator signing through fabric-gateway's `Signer` shape (SHA-256 digest in, DER out): a key in a
 * PKCS#11 token. Its signature is made low-S, as Fabric requires.
 */
export function signerCreator(identity: {
  mspId: string;
  certificate: string;
  ledgerSigner: (digest: Uint8Array) => Promise<Uint8Array>;
}): Creator {
  const { mspId, certificate, ledgerSigner } = identity;
  return {
    mspId,
    certificate,
    sign: async (data) => lowSDer(await ledgerSigner(createHash('sha256').update(data).digest())),
  };
}

/** Builds and signs a SignedProposal for `args` (function name first) as `creator`. */
export async function buildSignedProposal(
  shim: FabricShim,
  p: {
    channel: string;
    chaincode: string;
    creator: Creator;
    args: readonly string[];
    now?: Date;
  },
): Promise<BuiltProposal> {
  const { common, peer } = shim.protos;
  const creator = serializedIdentity(shim, p.creator.mspId, p.creator.certificate);
  const nonce = randomBytes(24);
  const txId = createHash('sha256').update(nonce).update(creator).digest('hex');

  const chaincodeId = new peer.ChaincodeID();
  chaincodeId.setName(p.chaincode);
  const extension = new peer.ChaincodeHeaderExtension();
  extension.setChaincodeId(chaincodeId);
  // The gateway client stamps the proposal with the client clock at millisecond precision.
  const timestamp = shim.Timestamp.fromDate(p.now ?? new Date());
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  channelHeader.setTimestamp(timestamp);
  channelHeader.setChannelId(p.channel);
  channelHeader.setEpoch(0);
  channelHeader.setExtension$(extension.serializeBinary());
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator);
  signatureHeader.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const signed = new SignedProposalWriter(header.serializeBinary() as Uint8Array, p.chaincode, p.args);
  return { txId, bytes: signed.finish(await p.creator.sign(signed.proposalBytes)) };
}

/** Bytes a varint takes. */
function varintLength(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes++;
  }
  return bytes;
}

/** Bytes a length-delimited field of `length` bytes takes (tag of a field below 16, length, bytes). */
const delimited = (length: number): number => 1 + varintLength(length) + length;

/** Most bytes of the signature field: a DER ECDSA P-256 signature is at most 72 bytes. */
const signatureRoom = delimited(72);

/**
 * A SignedProposal `{ proposal_bytes, signature }` whose Proposal is `{ header, payload }` and whose
 * payload is the ChaincodeProposalPayload of a NODE ChaincodeInvocationSpec with `args`: the same bytes
 * google-protobuf writes for those messages (fields in number order, empty ones left out), written into
 * one buffer. Built message by message, each nested message was serialised into a buffer of its own and
 * copied into the next, so the arguments (a 1,000-anchor request is ~330 KB) were copied five times.
 */
class SignedProposalWriter {
  readonly proposalBytes: Buffer;
  private readonly out: Buffer;
  private at = 0;

  constructor(header: Uint8Array, chaincode: string, args: readonly string[]) {
    const argLengths = args.map((a) => Buffer.byteLength(a, 'utf8'));
    const nameLength = Buffer.byteLength(chaincode, 'utf8');
    // ChaincodeInput { repeated bytes args = 1 }
    const input = argLengths.reduce((sum, n) => sum + delimited(n), 0);
    // ChaincodeID { string name = 2 }
    const chaincodeId = nameLength > 0 ? delimited(nameLength) : 0;
    // ChaincodeSpec { Type type = 1 (NODE); ChaincodeID chaincode_id = 2; ChaincodeInput input = 3 }
    const spec = 2 + delimited(chaincodeId) + delimited(input);
    // ChaincodeInvocationSpec { ChaincodeSpec chaincode_spec = 1 }
    const invocation = delimited(spec);
    // ChaincodeProposalPayload { bytes input = 1 }
    const payload = delimited(invocation);
    // Proposal { bytes header = 1; bytes payload = 2 }
    const proposal = (header.length > 0 ? delimited(header.length) : 0) + delimited(payload);
    this.out = Buffer.allocUnsafe(delimited(proposal) + signatureRoom);

    this.field(1, proposal); // SignedProposal.proposal_bytes
    const start = this.at;
    if (header.length > 0) this.bytes(1, header);
    this.field(2, payload);
    this.field(1, invocation);
    this.field(1, spec);
    this.out[this.at++] = 0x08; // ChaincodeSpec.type, varint
    this.out[this.at++] = 2; // NODE
    this.field(2, chaincodeId);
    if (nameLength > 0) {
      this.field(2, nameLength);
      this.at += this.out.write(chaincode, this.at, 'utf8');
    }
    this.field(3, input);
    args.forEach((arg, i) => {
      this.field(1, argLengths[i] ?? 0);
      this.at += this.out.write(arg, this.at, 'utf8');
    });
    this.proposalBytes = this.out.subarray(start, this.at);
  }

  /** The SignedProposal, with `signature` (SignedProposal.signature) after the proposal bytes. */
  finish(signature: Uint8Array): Buffer {
    if (signature.length === 0) return this.out.subarray(0, this.at);
    if (delimited(signature.length) <= this.out.length - this.at) {
      this.at = writeDelimited(this.out, this.at, 2, signature.length);
      this.out.set(signature, this.at);
      return this.out.subarray(0, this.at + signature.length);
    }
    const field = Buffer.allocUnsafe(delimited(signature.length));
    field.set(signature, writeDelimited(field, 0, 2, signature.length));
    return Buffer.concat([this.out.subarray(0, this.at), field]);
  }

  /** Tag and length of the length-delimited field `number`; its bytes follow. */
  private field(number: number, length: number): void {
    this.at = writeDelimited(this.out, this.at, number, length);
  }

  private bytes(number: number, bytes: Uint8Array): void {
    this.field(number, bytes.length);
    this.out.set(bytes, this.at);
    this.at += bytes.length;
  }
}

/** Writes the tag (wire type 2) of field `number` (below 16) and `length` as a varint at `at`; returns where its bytes go. */
function writeDelimited(out: Buffer, at: number, number: number, length: number): number {
  out[at++] = (number << 3) | 2;
  for (; length >= 0x80; length = Math.floor(length / 0x80)) out[at++] = (length % 0x80) | 0x80;
  out[at++] = length;
  return at;
}

/** The creator as a proposal's signature header carries it: Fabric's `msp.SerializedIdentity`. */
export function serializedIdentity(shim: FabricShim, mspId: string, certificate: string): Uint8Array {
  const identity = new shim.protos.msp.SerializedIdentity();
  identity.setMspid(mspId);
  identity.setIdBytes(Buffer.from(certificate));
  return identity.serializeBinary() as Uint8Array;
}

/** ECDSA P-256 over SHA-256, DER, low-S. */
export function signLowS(key: KeyObject, data: Uint8Array): Buffer {
  const raw = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  const r = BigInt('0x' + raw.subarray(0, 32).toString('hex'));
  let s = BigInt('0x' + raw.subarray(32).toString('hex'));
  if (s > p256n / 2n) s = p256n - s;
  return derSignature(r, s);
}

/**
 * The low-S form of a DER ECDSA P-256 signature from an external signer (fabric-gateway's HSM signer
 * does the same).
 * @throws ProposalRejected when it is not a DER SEQUENCE of two INTEGERs
 */
export function lowSDer(der: Uint8Array): Buffer {
  const bytes = Buffer.from(der);
  const integer = (at: number): [bigint, number] => {
    const length = bytes[at + 1] ?? 0;
    if (bytes[at] !== 0x02 || length === 0 || length > 33 || at + 2 + length > bytes.length)
      throw new ProposalRejected('the signer returned no DER ECDSA signature');
    return [BigInt('0x' + bytes.subarray(at + 2, at + 2 + length).toString('hex')), at + 2 + length];
  };
  if (bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2)
    throw new ProposalRejected('the signer returned no DER ECDSA signature');
  const [r, next] = integer(2);
  const [s, end] = integer(next);
  if (end !== bytes.length) throw new ProposalRejected('the signer returned no DER ECDSA signature');
  return derSignature(r, s > p256n / 2n ? p256n - s : s);
}

function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** A proposal the endorser accepted: what the stub and the block need. */
export interface CheckedProposal {
  readonly txId: string;
  readonly mspId: string;
  readonly certificate: string;
  /** The creator's public key: it also signs the transaction envelope of what was endorsed. */
  readonly publicKey: KeyObject;
  readonly timestamp: { seconds: number; nanos: number };
  readonly channel: string;
  readonly chaincode: string;
  readonly input: any;
  readonly signedProposal: any;
}

/** Why an endorser refused a proposal (before any chaincode ran). */
export class ProposalRejected extends Error {
  override readonly name = 'ProposalRejected';
}

/** Trusted CA per MSP id, and a cache of creators already verified against them. */
export class CreatorVerifier {
  private readonly verified = new Map<string, { mspId: string; certificate: string; publicKey: KeyObject }>();
  constructor(private readonly cas: ReadonlyMap<string, X509Certificate>) {}

  /** Checks a serialized identity: known MSP, certificate issued and signed by that MSP's CA, in its validity window. */
  check(
    shim: FabricShim,
    creator: Uint8Array,
    now: Date,
  ): { mspId: string; certificate: string; publicKey: KeyObject } {
    const key = Buffer.from(creator).toString('base64');
    const hit = this.verified.get(key);
    if (hit) {
      return hit;
    }
    const identity = shim.protos.msp.SerializedIdentity.deserializeBinary(creator);
    const mspId: string = identity.getMspid();
    const ca = this.cas.get(mspId);
    if (!ca)
      throw new ProposalRejected(
        `access denied: channel creator org unknown, creator is malformed: MSP ${mspId} is not a member of the channel`,
      );
    let cert: X509Certificate;
    const certificate = Buffer.from(identity.getIdBytes_asU8()).toString('utf8');
    try {
      cert = new X509Certificate(certificate);
    } catch {
      throw new ProposalRejected(`access denied: creator certificate of ${mspId} cannot be parsed`);
    }
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
      throw new ProposalRejected(`access denied: creator certificate is not issued by the CA of ${mspId}`);
    }
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
      throw new ProposalRejected(`access denied: creator certificate of ${mspId} is outside its validity period`);
    }
    const entry = { mspId, certificate, publicKey: cert.publicKey };
    if (this.verified.size >= 4096) this.verified.clear();
    this.verified.set(key, entry);
    return entry;
  }
}

/** What a SignedProposal claims (txid, creator's MSP), unchecked; empty strings where it cannot be read. */
export function peekProposal(shim: FabricShim, bytes: Uint8Array): { txId: string; mspId: string } {
  const { common, msp, peer } = shim.protos;
  let txId = '';
  let mspId = '';
  try {
    const signed = peer.SignedProposal.deserializeBinary(bytes);
    const header = common.Header.deserializeBinary(
      peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8()).getHeader_asU8(),
    );
    txId = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId();
    const creator = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8();
    mspId = msp.SerializedIdentity.deserializeBinary(creator).getMspid();
  } catch {
    // Unreadable: the endorser's own checks say why.
  }
  return { txId, mspId };
}

/**
 * The endorser's checks on a SignedProposal: well-formed, for this channel and chaincode, creator
 * verified, signature valid, txid = sha256(nonce ‖ creator).
 */
export function checkSignedProposal(
  shim: FabricShim,
  bytes: Uint8Array,
  verifier: CreatorVerifier,
  expect: { channel: string; chaincode: string },
): CheckedProposal {
  const { common, peer } = shim.protos;
  let signedProposal: any,
    proposal: any,
    header: any,
    channelHeader: any,
    signatureHeader: any,
    input: any,
    chaincode: string;
  try {
    signedProposal = peer.SignedProposal.deserializeBinary(bytes);
    proposal = peer.Proposal.deserializeBinary(signedProposal.getProposalBytes_asU8());
    header = common.Header.deserializeBinary(proposal.getHeader_asU8());
    channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const extension = peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8());
    chaincode = extension.getChaincodeId()?.getName() ?? '';
    const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
    const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());
    input = invocation.getChaincodeSpec()?.getInput();
  } catch (err) {
    throw new ProposalRejected(`error validating proposal: malformed proposal: ${(err as Error).message}`);
  }
  if (!input) throw new ProposalRejected('error validating proposal: no chaincode input');
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION)
    throw new ProposalRejected('error validating proposal: invalid header type');
  const channel: string = channelHeader.getChannelId();
  if (channel !== expect.channel) throw new ProposalRejected(`channel '${channel}' not found`);
  if (chaincode !== expect.chaincode)
    throw new ProposalRejected(
      `make sure the chaincode ${chaincode} has been successfully defined on channel ${channel} and try again`,
    );
  const ts = channelHeader.getTimestamp();
  if (!ts) throw new ProposalRejected('error validating proposal: missing timestamp');
  const creatorBytes: Uint8Array = signatureHeader.getCreator_asU8();
  const creator = verifier.check(shim, creatorBytes, new Date());
  const signature: Uint8Array = signedProposal.getSignature_asU8();
  if (
    !verify('sha256', signedProposal.getProposalBytes_asU8(), { key: creator.publicKey, dsaEncoding: 'der' }, signature)
  ) {
    throw new ProposalRejected("access denied: the creator's signature over the proposal is not valid");
  }
  const nonce: Uint8Array = signatureHeader.getNonce_asU8();
  const txId = createHash('sha256').update(nonce).update(creatorBytes).digest('hex');
  if (txId !== channelHeader.getTxId()) {
    throw new ProposalRejected(`error validating proposal: incorrectly computed txid: ${channelHeader.getTxId()}`);
  }
  return {
    txId,
    mspId: creator.mspId,
    certificate: creator.certificate,
    publicKey: creator.publicKey,
    timestamp: { seconds: Number(ts.getSeconds()), nanos: ts.getNanos() },
    channel,
    chaincode,
    input,
    signedProposal,
  };
}
