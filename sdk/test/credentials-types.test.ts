import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCredledgerError } from '../src/errors.js';
import { isValidUbn } from '../src/credentials/ubn.js';
import { isCalendarDate, validateSubject } from '../src/credentials/schema.js';
import { credentialNoun, credentialTypes, getCredentialType } from '../src/credentials/types/index.js';
import { companySubject, factorySubject, lawyerSubject, originSubject } from './credentials-samples.js';

/** Runs `fn`, expecting SCHEMA_INVALID, and returns its details. */
function schemaProblem(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    if (isCredledgerError(error, 'SCHEMA_INVALID')) return { ...error.details };
    throw error;
  }
  throw new Error('expected SCHEMA_INVALID');
}

describe('統一編號 checksum', () => {
  it('accepts the Ministry of Finance examples', () => {
    // 04595257: the general example; 10458575: the 7th-digit-is-7 example (sum 21 with 1, 20 with 0).
    expect(isValidUbn('04595257')).toBe(true);
    expect(isValidUbn('10458575')).toBe(true);
    // Further published examples: 04702088, and 00651474 / 00238778 (7th digit 7).
    for (const ubn of ['04702088', '00651474', '00238778']) expect(isValidUbn(ubn)).toBe(true);
  });

  it('accepts numbers whose sum is divisible by 5 but not by 10 (the 2023 rule)', () => {
    // 04595252: products 0,8,5,18,5,4,20,2 → digit sums 0+8+5+9+5+4+2+2 = 35.
    expect(isValidUbn('04595252')).toBe(true);
    // 7th digit 7, valid only when the 10 counts as 1 and only under the 2023 rule: 1+0+4+1+8+1+1+9 = 25.
    expect(isValidUbn('10458579')).toBe(true);
  });

  it('rejects wrong check sums, lengths and characters', () => {
    for (const ubn of [
      '04595258',
      '04595251',
      '10458576',
      '0459525',
      '045952570',
      '0459525a',
      '０４５９５２５７',
      '',
    ]) {
      expect(isValidUbn(ubn)).toBe(false);
    }
  });
});

describe('credential types as data', () => {
  it('lists the lawyer licence and the economic certificate with labels in both languages', () => {
    expect(Object.keys(credentialTypes).sort()).toEqual(['EconomicCertificateCredential', 'LawyerLicenceCredential']);
    const lawyer = getCredentialType('LawyerLicenceCredential');
    expect(lawyer.noun).toEqual({ 'zh-TW': '律師證書', en: 'lawyer licence' });
    expect(credentialNoun(getCredentialType('EconomicCertificateCredential'), originSubject).en).toBe(
      'certificate of origin',
    );
  });

  it('is consistent: unique field names, labels, conditions on existing enum values, compilable patterns', () => {
    for (const type of Object.values(credentialTypes)) {
      const names = type.fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const field of type.fields) {
        expect(field.label['zh-TW'].length).toBeGreaterThan(0);
        expect(field.label.en.length).toBeGreaterThan(0);
        const spec = field.type === 'list' ? field.items : field;
        if (spec.type === 'string' && spec.pattern !== undefined)
          expect(() => new RegExp(spec.pattern ?? '', 'u')).not.toThrow();
        if (field.when) {
          const target = type.fields.find((f) => f.name === field.when?.field);
          expect(target?.type).toBe('enum');
          const values = target?.type === 'enum' ? target.values.map((v) => v.value) : [];
          for (const value of field.when.in) expect(values).toContain(value);
        }
      }
    }
  });

  it('rejects an unknown type name with UNKNOWN_CREDENTIAL_TYPE', () => {
    expect(() => getCredentialType('PassportCredential')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CREDENTIAL_TYPE' }),
    );
    expect(() => getCredentialType('toString')).toThrow(expect.objectContaining({ code: 'UNKNOWN_CREDENTIAL_TYPE' }));
  });
});

describe('validateSubject', () => {
  it('accepts realistic subjects of every type and kind', () => {
    expect(validateSubject('LawyerLicenceCredential', lawyerSubject)).toEqual(lawyerSubject);
    for (const subject of [companySubject, factorySubject, originSubject]) {
      expect(validateSubject('EconomicCertificateCredential', subject)).toEqual(subject);
    }
  });

  it('returns the properties in the type field order whatever order the caller used', () => {
    const shuffled = Object.fromEntries(Object.entries(lawyerSubject).reverse());
    expect(Object.keys(validateSubject('LawyerLicenceCredential', shuffled))).toEqual(Object.keys(lawyerSubject));
  });

  it('names the field and the problem', () => {
    const lawyer = (patch: Record<string, unknown>) => () =>
      validateSubject('LawyerLicenceCredential', { ...lawyerSubject, ...patch });
    const company = (patch: Record<string, unknown>) => () =>
      validateSubject('EconomicCertificateCredential', { ...companySubject, ...patch });
    expect(schemaProblem(lawyer({ name: undefined }))).toMatchObject({ field: 'name', problem: 'required' });
    expect(schemaProblem(lawyer({ nationalId: 'A123456789' }))).toMatchObject({
      field: 'nationalId',
      problem: 'unknown-field',
    });
    expect(schemaProblem(lawyer({ licenceNumber: '台檢證字第12345號' }))).toMatchObject({
      field: 'licenceNumber',
      problem: 'pattern',
    });
    expect(schemaProblem(lawyer({ admissionDate: '2026-02-30' }))).toMatchObject({
      field: 'admissionDate',
      problem: 'invalid-date',
    });
    expect(schemaProblem(lawyer({ practiceStatus: 'retired' }))).toMatchObject({
      field: 'practiceStatus',
      problem: 'not-in-enum',
    });
    expect(schemaProblem(lawyer({ barMemberships: ['臺北律師公會', '臺北律師公會'] }))).toMatchObject({
      field: 'barMemberships[1]',
      problem: 'duplicate',
    });
    expect(schemaProblem(lawyer({ barMemberships: ['Taipei Bar'] }))).toMatchObject({
      field: 'barMemberships[0]',
      problem: 'pattern',
    });
    expect(schemaProblem(lawyer({ barMemberships: [] }))).toMatchObject({
      field: 'barMemberships',
      problem: 'too-few-items',
    });
    expect(schemaProblem(lawyer({ barMemberships: '臺北律師公會' }))).toMatchObject({
      field: 'barMemberships',
      problem: 'wrong-type',
    });
    expect(schemaProblem(lawyer({ practiceStatus: 'not-practising' }))).toMatchObject({
      field: 'lawFirm',
      problem: 'not-applicable',
    });
    expect(schemaProblem(lawyer({ name: '陳雅婷\u202e' }))).toMatchObject({
      field: 'name',
      problem: 'control-character',
    });
    expect(schemaProblem(lawyer({ name: ' 陳雅婷' }))).toMatchObject({ field: 'name', problem: 'whitespace' });
    expect(schemaProblem(lawyer({ nameEn: 'Jose\u0301' }))).toMatchObject({
      field: 'nameEn',
      problem: 'not-normalized',
    });
    expect(schemaProblem(lawyer({ lawFirm: '法'.repeat(61) }))).toMatchObject({
      field: 'lawFirm',
      problem: 'too-long',
    });
    expect(schemaProblem(lawyer({ name: 42 }))).toMatchObject({ field: 'name', problem: 'wrong-type' });
    expect(schemaProblem(company({ ubn: '04595258' }))).toMatchObject({ field: 'ubn', problem: 'checksum' });
    expect(schemaProblem(company({ ubn: 4595257 }))).toMatchObject({ field: 'ubn', problem: 'wrong-type' });
    expect(schemaProblem(company({ ubn: '4595257' }))).toMatchObject({ field: 'ubn', problem: 'pattern' });
    expect(schemaProblem(company({ capital: -1 }))).toMatchObject({ field: 'capital', problem: 'out-of-range' });
    expect(schemaProblem(company({ capital: 1.5 }))).toMatchObject({ field: 'capital', problem: 'wrong-type' });
    expect(schemaProblem(company({ kind: 'patent' }))).toMatchObject({ field: 'kind', problem: 'not-in-enum' });
    expect(schemaProblem(company({ destinationCountry: 'DE' }))).toMatchObject({
      field: 'destinationCountry',
      problem: 'not-applicable',
    });
    expect(
      schemaProblem(() => validateSubject('EconomicCertificateCredential', { ...originSubject, consignee: undefined })),
    ).toMatchObject({
      field: 'consignee',
      problem: 'required',
    });
    expect(schemaProblem(() => validateSubject('LawyerLicenceCredential', ['x']))).toMatchObject({
      problem: 'not-an-object',
    });
    expect(schemaProblem(() => validateSubject('LawyerLicenceCredential', null))).toMatchObject({
      problem: 'not-an-object',
    });
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
    expect(isCalendarDate('1899-12-31')).toBe(false);
  });
});

describe('browser safety', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
  const browserModules = [
    'credentials/types/index.ts',
    'credentials/schema.ts',
    'credentials/credential.ts',
    'credentials/decode.ts',
    'credentials/digest-async.ts',
    'credentials/browser.ts',
    'did/did-document.ts',
  ];

  /** Every module `file` imports, transitively, within src. */
  function importsOf(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(resolve(src, file), 'utf8');
    // Type-only imports vanish at compile time, so they cannot pull anything into a bundle.
    for (const [, spec = ''] of text.matchAll(/^(?:import|export)(?! type )[^'"]*?from\s+'([^']+)'/gm)) {
      if (spec.startsWith('.'))
        importsOf(
          resolve(dirname(resolve(src, file)), spec)
            .slice(src.length + 1)
            .replace(/\.js$/, '.ts'),
          seen,
        );
      else seen.add(spec);
    }
    return seen;
  }

  it.each(browserModules)('%s imports no node:* module and nothing Node-only', (file) => {
    const imports = [...importsOf(file)];
    expect(imports.filter((i) => i.startsWith('node:') || /^(fs|crypto|path|worker_threads)$/.test(i))).toEqual([]);
    expect(imports.filter((i) => !i.startsWith('node:') && !i.endsWith('.ts'))).toEqual(
      imports.filter((i) => i === 'never a package'),
    );
  });
});
