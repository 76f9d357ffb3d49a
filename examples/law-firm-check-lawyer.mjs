#!/usr/bin/env node
// A law firm about to instruct outside counsel opens the licence link the lawyer sent (the same link
// their licence QR code carries) and checks that the licence is genuine and neither revoked nor
// suspended, reading status from a `credledger serve` API.
//
//   node examples/law-firm-check-lawyer.mjs '<licence link>' <status API base URL>
//
// Exit code 0 when the lawyer may be instructed, 1 otherwise, 2 on bad usage.
import { decodeCredentialLink, httpStatusSource, verifyCredential } from '@credledger/verify';

const [link, api] = process.argv.slice(2);
if (!link || !api) {
  console.error("usage: law-firm-check-lawyer.mjs '<licence link>' <status API base URL>");
  process.exit(2);
}

const result = await verifyCredential(link, {
  status: httpStatusSource({ baseUrl: api }),
  decodeLink: (text) => {
    const decoded = decodeCredentialLink(text);
    if ('jwt' in decoded) return decoded.jwt;
    throw new Error(decoded.error);
  },
});

const subject = result.credential?.subject ?? {};
const inGoodStanding =
  result.verdict === 'VALID' &&
  result.credential?.type === 'LawyerLicenceCredential' &&
  subject.practiceStatus === 'practising';
console.log(
  JSON.stringify({
    inGoodStanding,
    verdict: result.verdict,
    name: subject.name ?? null,
    licenceNumber: subject.licenceNumber ?? null,
    practiceStatus: subject.practiceStatus ?? null,
    status: result.status ? { state: result.status.state, reason: result.status.reason } : null,
    failedChecks: result.checks
      .filter((check) => check.result !== 'pass')
      .map((check) => `${check.name}: ${check.reason}`),
  }),
);
process.exit(inGoodStanding ? 0 : 1);
