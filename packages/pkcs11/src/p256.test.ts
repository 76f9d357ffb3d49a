import { describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';

import { isLowS } from '@credledger/verify/formats';

import { canonicalRawSignature, derSignature, ecPointToJwk, fabricKeyId, isP256Params, p256EcParams } from './p256.js';

function pointOf(jwk: JsonWebKey): Buffer {
  return Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
}

describe('P-256 encodings of a token', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = pointOf(jwk);

  it('reads CKA_EC_POINT as a DER OCTET STRING or as the bare point', () => {
    const expected = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    expect(ecPointToJwk(Buffer.concat([Buffer.from([0x04, 65]), point]))).toEqual(expected);
    expect(ecPointToJwk(point)).toEqual(expected);
  });

  it('refuses a point that is not on the curve, or not a point', () => {
    const off = Buffer.from(point);
    off[64] = (off[64] ?? 0) ^ 1;
    expect(() => ecPointToJwk(off)).toThrow(TypeError);
    expect(() => ecPointToJwk(point.subarray(0, 33))).toThrow(TypeError);
  });

  it('knows the P-256 parameters and Fabric’s key identifier', () => {
    expect(isP256Params(p256EcParams)).toBe(true);
    expect(isP256Params(Buffer.from('06052b81040022', 'hex'))).toBe(false); // P-384
    expect(fabricKeyId(Buffer.concat([Buffer.from([0x04, 65]), point]))).toEqual(
      createHash('sha256').update(point).digest(),
    );
  });

  it('makes r‖s canonical and encodes it as DER that verifies', () => {
    let highSeen = false;
    for (let i = 0; i < 40; i++) {
      const message = Buffer.from(`message ${i}`);
      const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      highSeen ||= !isLowS(raw);
      const canonical = canonicalRawSignature(raw);
      expect(isLowS(canonical)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, canonical)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, derSignature(canonical))).toBe(true);
    }
    // OpenSSL returns a high s about half the time: 40 signatures without one happen once in 10^12.
    expect(highSeen).toBe(true);
  });

  it('encodes r and s with leading zeros stripped and a sign byte where the top bit is set', () => {
    const raw = Buffer.concat([Buffer.alloc(31, 0), Buffer.from([0x01]), Buffer.from([0x80]), Buffer.alloc(31, 0)]);
    expect(Buffer.from(derSignature(raw)).toString('hex')).toBe('3026' + '020101' + '022100' + '80' + '00'.repeat(31));
    expect(() => derSignature(raw.subarray(1))).toThrow(TypeError);
  });
});
