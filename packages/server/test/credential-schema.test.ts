/**
 * The `credentialSchema` an SD-JWT credential names is served: `GET /schemas/<type>` answers the type's
 * JSON Schema (draft 2020-12) at the very path the issuer wrote, readable from another site, and a
 * standard validator (Ajv) accepts the credential as issued — its disclosures put back into its subject —
 * and refuses one with an unknown claim, a value outside an enumeration, a required claim missing, or a
 * claim that does not apply to the certificate's kind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, type RunningServer, type ServerRegistry } from '@credledger/server';
import { credentialTypes, getCredentialType, validateSubject } from '@credledger/verify';

import { issueSdJwtLicence, World } from '../../issuer/test/verify-world.js';

const none = (): Promise<never> => Promise.reject(new Error('no ledger read in this test'));
const registry: ServerRegistry = { getCredential: none, getIssuer: none, listIssuers: () => Promise.resolve([]) };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ registry, port: 0, rateLimit: false });
});
afterAll(async () => {
  await server.close();
});

function validator(schema: object): (value: unknown) => boolean {
  // Strict, but for strictRequired, Ajv's own lint that a `required` name be declared in the same
  // subschema: the conditional fields are declared once, under properties, as JSON Schema allows.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return (value) => validate(value);
}

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

describe('GET /schemas/<type>', () => {
  it('answers the JSON Schema at the credentialSchema path an SD-JWT credential names, and the credential as issued passes it', async () => {
    const { sdJwt } = await issueSdJwtLicence(new World(), 'tw-diw');
    const [jwt = '', ...disclosures] = sdJwt.split('~').filter((part) => part !== '');
    const payload = decode(jwt.split('.')[1] ?? '') as Record<string, unknown> & { credentialSchema: { id: string } };
    const path = new URL(payload.credentialSchema.id).pathname;
    expect(path).toBe('/schemas/LawyerLicenceCredential');

    const response = await fetch(`${server.url}${path}`, { headers: { Origin: 'https://wallet.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/schema+json');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const schema = (await response.json()) as Record<string, unknown>;
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${server.url}${path}`,
      title: 'Lawyer Licence (律師證書)',
    });

    // The credential with every disclosure back in its subject, as a holder's wallet stores it.
    const subject = Object.fromEntries(
      disclosures.map((disclosure) => {
        const [, name, value] = decode(disclosure) as [string, string, unknown];
        return [name, value];
      }),
    );
    const credential = { ...payload, credentialSubject: subject };
    const valid = validator(schema);
    expect(valid(credential)).toBe(true);
    expect(valid({ ...credential, credentialSubject: { ...subject, nationalId: 'A123456789' } })).toBe(false);
    expect(valid({ ...credential, credentialSubject: { ...subject, practiceStatus: 'retired' } })).toBe(false);
    const { licenceNumber: _number, ...withoutNumber } = subject;
    expect(valid({ ...credential, credentialSubject: withoutNumber })).toBe(false);
    expect(valid({ ...credential, credentialSubject: { ...subject, licenceNumber: '(115)台檢證字第012345' } })).toBe(
      false,
    );
    expect(valid({ ...credential, type: ['VerifiableCredential', 'EconomicCertificateCredential'] })).toBe(false);
  });

  it('says which claims apply to which kind of certificate', async () => {
    const type = getCredentialType('EconomicCertificateCredential');
    const schema = (await (await fetch(`${server.url}/schemas/${type.name}`)).json()) as object;
    const valid = validator(schema);
    // The type's own examples, for a company registration: what the subject check accepts.
    const company = Object.fromEntries(
      type.fields
        .filter((field) => field.example !== undefined && (field.when?.in.includes('company-registration') ?? true))
        .map((field) => [field.name, field.example]),
    );
    const subject = validateSubject(type.name, { ...company, kind: 'company-registration' });
    const credential = { type: ['VerifiableCredential', type.name], credentialSubject: subject };
    expect(valid(credential)).toBe(true);
    const factoryOnly = type.fields.find(
      (field) => field.when !== undefined && !field.when.in.includes('company-registration'),
    );
    expect(factoryOnly).toBeDefined();
    expect(valid({ ...credential, credentialSubject: { ...subject, [factoryOnly!.name]: factoryOnly!.example } })).toBe(
      false,
    );
    const companyOnly = type.fields.find((field) => field.required && field.when?.in.includes('company-registration'));
    const { [companyOnly!.name]: _dropped, ...missing } = subject;
    expect(valid({ ...credential, credentialSubject: missing })).toBe(false);
  });

  it('answers 404 for a type it does not know', async () => {
    expect(Object.keys(credentialTypes)).not.toContain('PassportCredential');
    expect((await fetch(`${server.url}/schemas/PassportCredential`)).status).toBe(404);
    expect((await fetch(`${server.url}/schemas/toString`)).status).toBe(404);
  });
});
