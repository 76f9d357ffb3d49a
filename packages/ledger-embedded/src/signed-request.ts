/**
 * Requests to the embedded peer that are not proposals (an event stream, a chain check) signed by the
 * identity making them, as a Fabric client signs a `SignedChaincodeEventsRequest` or a deliver
 * envelope: the peer serves them only to a member of the channel that holds the key of its certificate.
 */
import { verify, type KeyObject } from 'node:crypto';
import { CreatorVerifier, ProposalRejected, serializedIdentity, type Creator } from './proposal.js';
import type { FabricShim } from './shim.js';

/** A request body, who signed it, and the signature, as the peer socket carries them (base64). */
export interface SignedRequest {
  /** JSON of the request, with `op` and the `timestamp` it was signed at. */
  readonly body: string;
  /** Fabric `msp.SerializedIdentity` of the signer. */
  readonly creator: string;
  /** DER ECDSA over SHA-256 of the body's UTF-8 bytes. */
  readonly signature: string;
}

/** How far a request's signing time may be from the peer's clock (Fabric's deliver service allows 15 minutes). */
const allowedSkewMs = 15 * 60 * 1000;

/** Signs a request `body` (its `op` and fields) as an identity. */
export async function signRequest(
  shim: FabricShim,
  signer: Creator,
  body: Readonly<Record<string, unknown>> & { readonly op: string },
  now: Date = new Date(),
): Promise<SignedRequest> {
  const text = JSON.stringify({ ...body, timestamp: now.toISOString() });
  return {
    body: text,
    creator: Buffer.from(serializedIdentity(shim, signer.mspId, signer.certificate)).toString('base64'),
    signature: Buffer.from(await signer.sign(Buffer.from(text, 'utf8'))).toString('base64'),
  };
}

/**
 * The peer's checks on a signed request: a known member signed it (certificate issued by its MSP's CA,
 * in its validity window), the signature is valid, it asks for `op`, and it was signed recently.
 * Throws ProposalRejected otherwise.
 * @returns the signer's MSP id and the request's fields
 */
export function checkSignedRequest(
  shim: FabricShim,
  verifier: CreatorVerifier,
  request: unknown,
  op: string,
  now: Date = new Date(),
): { mspId: string; body: Record<string, unknown> } {
  const { body, creator, signature } = (request ?? {}) as Partial<Record<keyof SignedRequest, unknown>>;
  if (typeof body !== 'string' || typeof creator !== 'string' || typeof signature !== 'string')
    throw new ProposalRejected('access denied: the request is not signed');
  let signer: { mspId: string; publicKey: KeyObject };
  try {
    signer = verifier.check(shim, Buffer.from(creator, 'base64'), now);
  } catch (err) {
    if (err instanceof ProposalRejected) throw err;
    throw new ProposalRejected('access denied: the request names no readable identity');
  }
  if (
    !verify(
      'sha256',
      Buffer.from(body, 'utf8'),
      { key: signer.publicKey, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    )
  )
    throw new ProposalRejected("access denied: the signer's signature over the request is not valid");
  let fields: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    fields = parsed as Record<string, unknown>;
  } catch {
    throw new ProposalRejected('the signed request is not a JSON object');
  }
  if (fields.op !== op) throw new ProposalRejected(`the signed request is for ${String(fields.op)}, not ${op}`);
  const at = typeof fields.timestamp === 'string' ? Date.parse(fields.timestamp) : NaN;
  if (!(Math.abs(now.getTime() - at) <= allowedSkewMs))
    throw new ProposalRejected('the signed request has no timestamp within 15 minutes of the peer clock');
  return { mspId: signer.mspId, body: fields };
}
