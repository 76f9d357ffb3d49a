/**
 * P-256 encodings a token speaks: the curve's DER OID (CKA_EC_PARAMS), the public point (CKA_EC_POINT)
 * as a JWK, Fabric's key identifier, and the raw r‖s signature CKM_ECDSA returns, made canonical
 * (low-S, decision 0010) and, for Fabric, DER.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { toLowS } from '@credledger/verify/formats';

/** DER of the P-256 OID 1.2.840.10045.3.1.7 (`prime256v1`), as CKA_EC_PARAMS holds it. */
export const p256EcParams: Uint8Array = Uint8Array.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);

/** A P-256 public key as the issuer registry and DID documents carry it (members in this order). */
export interface P256PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
}

/** Whether CKA_EC_PARAMS names P-256. */
export function isP256Params(params: Uint8Array): boolean {
  return Buffer.from(params).equals(Buffer.from(p256EcParams));
}

/**
 * The uncompressed point `04‖X‖Y` of a CKA_EC_POINT value. PKCS#11 says the value is the DER OCTET
 * STRING of the point (SoftHSM, most HSMs); a few modules return the bare point, which is accepted too.
 * @throws TypeError for anything else
 */
export function uncompressedPoint(ecPoint: Uint8Array): Uint8Array {
  if (ecPoint.length === 65 && ecPoint[0] === 0x04) return ecPoint;
  if (ecPoint.length === 67 && ecPoint[0] === 0x04 && ecPoint[1] === 65 && ecPoint[2] === 0x04)
    return ecPoint.subarray(2);
  throw new TypeError('CKA_EC_POINT is not an uncompressed P-256 point');
}

/**
 * The JWK of a CKA_EC_POINT value, checked to lie on the curve (node:crypto refuses a point that does not).
 * @throws TypeError when the value is not a P-256 point
 */
export function ecPointToJwk(ecPoint: Uint8Array): P256PublicJwk {
  const point = uncompressedPoint(ecPoint);
  const jwk: P256PublicJwk = {
    kty: 'EC',
    crv: 'P-256',
    x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
    y: Buffer.from(point.subarray(33, 65)).toString('base64url'),
  };
  try {
    createPublicKey({ key: { ...jwk }, format: 'jwk' });
  } catch (error) {
    throw new TypeError('CKA_EC_POINT is not a point on P-256', { cause: error });
  }
  return jwk;
}

/**
 * Fabric's key identifier for a P-256 key: SHA-256 of the uncompressed point. Fabric's PKCS#11 BCCSP and
 * fabric-gateway's HSM signer find a key by this CKA_ID, so a key made here serves as a Fabric identity too.
 */
export function fabricKeyId(ecPoint: Uint8Array): Buffer {
  return createHash('sha256').update(uncompressedPoint(ecPoint)).digest();
}

/**
 * The canonical (low-S) form of the 64-byte r‖s that CKM_ECDSA returns: a token, like OpenSSL, gives
 * either half of s.
 * @throws TypeError when the token returned anything but 64 bytes
 */
export function canonicalRawSignature(signature: Uint8Array): Uint8Array {
  return toLowS(signature);
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` of a 64-byte r‖s, as Fabric's signatures are encoded. */
export function derSignature(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new TypeError('an ES256 signature is 64 bytes (r‖s)');
  const integer = (bytes: Uint8Array): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const body = [...bytes.subarray(start)];
    if ((body[0] ?? 0) & 0x80) body.unshift(0);
    return [0x02, body.length, ...body];
  };
  const body = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
