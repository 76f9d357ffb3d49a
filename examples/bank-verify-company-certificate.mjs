#!/usr/bin/env node
// A bank's onboarding desk receives a company's economic e-certificate — the link its QR code carries,
// the vc+jwt file, or a photo of the QR code — and checks it before opening an account: genuine,
// issued by the Ministry of Economic Affairs, in force. Status comes from a `credledger serve` API;
// the bank needs no ledger access of its own, and for links and files only `@credledger/verify`.
//
//   node examples/bank-verify-company-certificate.mjs <link | .jwt file | QR photo .png/.jpg> <status API base URL>
//
// Exit code 0 when the certificate may be relied on, 1 otherwise, 2 on bad usage.
import { existsSync, readFileSync } from 'node:fs';

import { decodeCredentialLink, httpStatusSource, verifyCredential } from '@credledger/verify';

const [input, api] = process.argv.slice(2);
if (!input || !api) {
  console.error('usage: bank-verify-company-certificate.mjs <link | jwt file | qr-photo> <status API base URL>');
  process.exit(2);
}

/** The credential as text: a photo is decoded by the SDK's QR reader (Node only), a file read as it is. */
async function credentialText(arg) {
  if (/\.(png|jpe?g)$/i.test(arg)) {
    const sdk = await import('@credledger/sdk').catch(() => undefined);
    if (!sdk) {
      console.error(
        'error: reading a QR photo needs @credledger/sdk installed; pass the link or the .jwt file instead',
      );
      process.exit(2);
    }
    return sdk.readQrImage(arg);
  }
  return existsSync(arg) ? readFileSync(arg, 'utf8').trim() : arg;
}

const result = await verifyCredential(await credentialText(input), {
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
