#!/usr/bin/env node
// A bank's onboarding desk receives a photo of a company's economic e-certificate QR code and checks
// it before opening an account: genuine, issued by the Ministry of Economic Affairs, in force.
// Status comes from a `credledger serve` API; the bank needs no ledger access of its own.
//
//   node examples/bank-verify-company-certificate.mjs <qr-photo.png|jpg> <status API base URL>
//
// Exit code 0 when the certificate may be relied on, 1 otherwise, 2 on bad usage.
import { decodeCredentialLink, readQrImage } from '@credledger/sdk';
import { httpStatusSource, verifyCredential } from '@credledger/sdk/verify';

const [photo, api] = process.argv.slice(2);
if (!photo || !api) {
  console.error('usage: bank-verify-company-certificate.mjs <qr-photo> <status API base URL>');
  process.exit(2);
}

const link = await readQrImage(photo);
const result = await verifyCredential(link, {
  status: httpStatusSource({ baseUrl: api }),
  decodeLink: (text) => {
    const decoded = decodeCredentialLink(text);
    if ('jwt' in decoded) return decoded.jwt;
    throw new Error(decoded.error);
  },
});

const subject = result.credential?.subject ?? {};
const isCompanyCertificate = result.credential?.type === 'EconomicCertificateCredential';
const acceptable = result.verdict === 'VALID' && isCompanyCertificate;
console.log(
  JSON.stringify({
    decision: acceptable ? 'ACCEPT' : 'REFER_TO_COMPLIANCE',
    verdict: result.verdict,
    issuer: result.credential?.issuerName?.en ?? result.credential?.issuer ?? null,
    company: subject.companyName ?? null,
    ubn: subject.ubn ?? null,
    kind: subject.kind ?? null,
    statusAsOf: result.status?.asOf ?? null,
  }),
);
process.exit(acceptable ? 0 : 1);
