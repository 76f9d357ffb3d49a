/**
 * Signed credentials for the document tests, made the way an issuer makes them (a vc+jwt signed with
 * an ES256 key), with a key made for the test run. Nothing here is verified: the renderer prints what a
 * credential holds.
 */
import { base64urlEncode, signCompactJws } from '@credledger/verify/formats';

export const lawyerSubject = {
  name: '林怡君',
  nameEn: 'LIN Yi-Chun',
  licenceNumber: '(112)台檢證字第018273號',
  admissionDate: '2023-09-15',
  practiceStatus: 'practising',
  barMemberships: ['臺北律師公會'],
  lawFirm: '明德法律事務所',
};

export const companySubject = {
  kind: 'company-registration',
  certificateNumber: '1150012345',
  companyName: '台灣示範科技股份有限公司',
  ubn: '04595257',
  issueDate: '2026-11-01',
  representative: '張志明',
  capital: 50000000,
  establishedDate: '2015-03-02',
  address: '臺北市中正區重慶南路一段122號',
};

export const moj = { 'zh-TW': '法務部', en: 'Ministry of Justice' };

/** A signed credential of `type` about `subject`, issued 2026-12-01 for ten years. */
export async function signedCredential(
  type: string,
  subject: Readonly<Record<string, unknown>>,
  issuer = 'did:web:moj.gov.tw',
): Promise<string> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const payload = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1'],
    type: ['VerifiableCredential', type],
    id,
    issuer,
    validFrom: '2026-12-01T00:00:00Z',
    validUntil: '2036-12-01T00:00:00Z',
    credentialSubject: subject,
    credentialStatus: [],
    iss: issuer,
    jti: id,
    iat: 1796083200,
    nbf: 1796083200,
    exp: 2111702400,
  };
  return signCompactJws({ alg: 'ES256', typ: 'vc+jwt', kid: `${issuer}#key-1` }, payload, async (data) =>
    base64urlEncode(
      new Uint8Array(
        await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          keys.privateKey,
          typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data),
        ),
      ),
    ),
  );
}
