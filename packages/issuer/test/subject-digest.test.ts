import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { subjectDigestOf, subjectIdentifierOf } from '../src/credentials/subject-digest.js';
import { credentialTypes, getCredentialType } from '@credledger/verify';
import { companySubject, factorySubject, lawyerSubject, originSubject } from './credentials-samples.js';

const moj = 'did:web:moj.gov.tw';
const moea = 'did:web:moea.gov.tw';
const lawyer = getCredentialType('LawyerLicenceCredential');
const economic = getCredentialType('EconomicCertificateCredential');

describe('subject identifiers of the credential types (data, not code)', () => {
  it.each(Object.values(credentialTypes))('$name names required fields that apply wherever its rules do', (type) => {
    expect(type.subjectIdentifier.length).toBeGreaterThan(0);
    for (const rule of type.subjectIdentifier) {
      expect(rule.fields.length).toBeGreaterThan(0);
      for (const name of rule.fields) {
        const field = type.fields.find((f) => f.name === name);
        expect(field?.required).toBe(true);
        // A field of the rule may be conditional only on what the rule itself is conditional on.
        if (field?.when) expect(rule.when).toEqual(field.when);
      }
      for (const { pattern } of rule.canonical ?? []) expect(() => new RegExp(pattern, 'gu')).not.toThrow();
    }
  });

  it('a lawyer licence is identified by its licence number, spelt either way', () => {
    expect(subjectIdentifierOf(lawyer, lawyerSubject)).toEqual(['(115)台檢證字第12345號']);
    expect(subjectIdentifierOf(lawyer, { ...lawyerSubject, licenceNumber: '(115)臺檢證字第12345號' })).toEqual([
      '(115)台檢證字第12345號',
    ]);
    // Zeros inside the serial are digits like any other.
    expect(subjectIdentifierOf(lawyer, { ...lawyerSubject, licenceNumber: '(115)台檢證字第100200號' })).toEqual([
      '(115)台檢證字第100200號',
    ]);
    expect(subjectIdentifierOf(lawyer, { ...lawyerSubject, licenceNumber: '(115)台檢證字第0號' })).toEqual([
      '(115)台檢證字第0號',
    ]);
  });

  it('an economic certificate by its kind and the number that kind is about', () => {
    expect(subjectIdentifierOf(economic, companySubject)).toEqual(['company-registration', '04595257']);
    expect(subjectIdentifierOf(economic, factorySubject)).toEqual(['factory-registration', '99612345']);
    expect(subjectIdentifierOf(economic, originSubject)).toEqual(['certificate-of-origin', 'CO-2026-0001234']);
    expect(subjectIdentifierOf(economic, { ...originSubject, certificateNumber: '（2026）第1號' })).toEqual([
      'certificate-of-origin',
      '(2026)第1號',
    ]);
  });
});

describe('subjectDigestOf', () => {
  it('is domain-separated SHA-256 over issuer, type and identifier, in lowercase hex', () => {
    const expected = createHash('sha256')
      .update(
        `credledger/subject-identifier/v1\n${JSON.stringify([moj, 'LawyerLicenceCredential', ['(115)台檢證字第12345號']])}`,
      )
      .digest('hex');
    expect(subjectDigestOf(moj, lawyer, lawyerSubject)).toBe(expected);
    // Not the bare hash of the identifier, which anyone could look up in a table of licence numbers.
    expect(subjectDigestOf(moj, lawyer, lawyerSubject)).not.toBe(
      createHash('sha256').update('(115)台檢證字第012345號').digest('hex'),
    );
  });

  it('differs by issuer and by kind, and only by what identifies the subject', () => {
    const registration = subjectDigestOf(moea, economic, companySubject);
    expect(subjectDigestOf('did:web:example.gov.tw', economic, companySubject)).not.toBe(registration);
    expect(subjectDigestOf(moea, economic, { ...originSubject, ubn: companySubject.ubn })).not.toBe(registration);
    expect(subjectDigestOf(moea, economic, { ...companySubject, companyName: '改名股份有限公司' })).toBe(registration);
    expect(subjectDigestOf(moj, lawyer, { ...lawyerSubject, name: '陳雅婷', lawFirm: '他所' })).toBe(
      subjectDigestOf(moj, lawyer, lawyerSubject),
    );
  });

  it('is null for a type that names no identifier', () => {
    expect(subjectDigestOf(moj, { ...lawyer, subjectIdentifier: [] }, lawyerSubject)).toBeNull();
  });
});
