import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isCredledgerError,
  isValidUbn,
  checkSubject,
  isCalendarDate,
  validateSubject,
  visibleText,
  credentialNoun,
  credentialTypes,
  getCredentialType,
} from '@credledger/verify';
import { fieldRule } from '@credledger/verify/formats';
import type { CredentialTypeDefinition } from '@credledger/verify';
import { companySubject, factorySubject, lawyerSubject, originSubject } from './credentials-samples.js';
import { createSampleGenerator } from './helpers/sample-credentials.js';

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

describe('look-alike and hidden text (issue 13)', () => {
  const lawyerType = getCredentialType('LawyerLicenceCredential');
  const ruleOf = (name: string) => fieldRule(lawyerType.fields.find((f) => f.name === name) ?? lawyerType.fields[0]!);
  const lawyer = (patch: Record<string, unknown>) => () =>
    validateSubject('LawyerLicenceCredential', { ...lawyerSubject, ...patch });

  it.each([
    ['name', 'W\u0430ng', 'mixed-script', /mixes Latin and Cyrillic letters: а \(U\+0430\) is Cyrillic/],
    ['name', '\u03A1aul', 'mixed-script', /mixes Greek and Latin letters/],
    ['name', '王Wang', 'mixed-script', /mixes Han and Latin letters/],
    ['name', '王\u3164明', 'invisible-character', /⟨U\+3164⟩: a Hangul filler/],
    ['name', '\u115F', 'invisible-character', /⟨U\+115F⟩: a Hangul filler/],
    ['name', '王\u1160明', 'invisible-character', /⟨U\+1160⟩: a Hangul filler/],
    ['name', '王\uFFA0明', 'invisible-character', /⟨U\+FFA0⟩: a Hangul filler/],
    ['name', '\u0301Wang', 'leading-mark', /starts with a combining mark ⟨U\+0301⟩/],
    ['name', 'Ｗａｎｇ', 'fullwidth', /fullwidth letters or digits "Ｗ" \(U\+FF37\)/],
    ['name', 'Chen\u200bMei', 'control-character', /⟨U\+200B⟩: a zero-width space/],
    ['name', '王小明\u202e', 'control-character', /⟨U\+202E⟩: a bidirectional control/],
    [
      'name',
      '\u0418\u0432\u0430\u043d',
      'script-not-allowed',
      /written in Cyrillic letters; this field takes Han or Latin only/,
    ],
    ['name', '\u2F08王', 'character-not-allowed', /"⼈" \(U\+2F08\)/],
    ['name', '王 小明', 'separator', /a Han name with a space/],
    ['name', '王\u2027\u2027明', 'separator', /right after another/],
    ['name', '王小明3', 'character-not-allowed', /"3" \(U\+0033\)/],
    ['lawFirm', '<img src=x onerror=alert(1)>', 'markup', /HTML markup/],
    ['lawFirm', 'javascript:alert(1)', 'link', /link or web address/],
    ['lawFirm', 'https://example.com/firm', 'link', /link or web address/],
    ['lawFirm', 'www.example.com.tw', 'link', /link or web address/],
    ['lawFirm', 'lawfirm.com.tw', 'link', /link or web address/],
    ['lawFirm', 'B\u0430ker & McKenzie', 'mixed-script', /mixes Latin and Cyrillic letters/],
    ['lawFirm', 'ＫＰＭＧ法律事務所', 'fullwidth', /fullwidth/],
    ['lawFirm', '明理法律事務所\u3164', 'invisible-character', /Hangul filler/],
  ])('refuses %s %j as %s, quoting the value and naming the rule', (field, value, problem, reason) => {
    let error: unknown;
    try {
      lawyer({ [field]: value })();
    } catch (caught) {
      error = caught;
    }
    expect(isCredledgerError(error, 'SCHEMA_INVALID')).toBe(true);
    const { details, message } = error as { details: Record<string, unknown>; message: string };
    expect(details).toMatchObject({ field, problem, rule: ruleOf(field) });
    expect((details.reason as { en: string }).en).toMatch(reason);
    // The message shows the value visibly and says the rule, in English; both languages are in details.
    expect(message).toContain(`LawyerLicenceCredential.${field}: ${visibleText(value)} `);
    expect(message).toContain(`(rule: ${ruleOf(field).en})`);
    expect((details.localized as { 'zh-TW': string })['zh-TW']).toContain(`（規則：${ruleOf(field)['zh-TW']}）`);
  });

  it('accepts genuine names and law firms', () => {
    for (const name of [
      '王小明',
      '歐陽娜娜',
      '林',
      '谷辣斯\u2027尤達卡',
      '谷辣斯\u00B7尤達卡',
      '谷辣斯\uFF0E尤達卡',
      '𠮷田', // an ideograph outside the BMP counts as one character
      'Chen Mei-Ling',
      "O'Brien",
      'O’Brien',
      'Kolas Yotaka',
      'Voyʉ e Yakumangana',
      'Nguyễn Văn An',
      'J. R. Smith Jr.',
      'CHEN, YA-TING',
    ]) {
      expect(checkSubject('LawyerLicenceCredential', { ...lawyerSubject, name }).issues).toEqual([]);
    }
    for (const lawFirm of [
      '理律法律事務所',
      '陳、林聯合法律事務所（台北）',
      'KPMG安侯法律事務所',
      'Lee and Li, Attorneys-at-Law',
      'Baker & McKenzie (Taipei)',
      "St. John's Law Offices",
      '第一國際法律事務所',
    ]) {
      expect(checkSubject('LawyerLicenceCredential', { ...lawyerSubject, lawFirm }).issues).toEqual([]);
    }
  });

  it('takes Hangul names only where a type allows Hangul, and refuses its fillers there too', () => {
    expect(schemaProblem(lawyer({ name: '김민준' }))).toMatchObject({ field: 'name', problem: 'script-not-allowed' });
    const korean: CredentialTypeDefinition = {
      ...lawyerType,
      fields: lawyerType.fields.map((f) =>
        f.name === 'name' && f.type === 'string' ? { ...f, scripts: ['Han', 'Latin', 'Hangul'] } : f,
      ),
    };
    expect(checkSubject(korean, { ...lawyerSubject, name: '김민준' }).issues).toEqual([]);
    expect(checkSubject(korean, { ...lawyerSubject, name: '김 민준' }).issues).toEqual([]);
    expect(checkSubject(korean, { ...lawyerSubject, name: '김\u3164민준' }).issues).toMatchObject([
      { field: 'name', problem: 'invisible-character' },
    ]);
    expect(checkSubject(korean, { ...lawyerSubject, name: '김민준Kim' }).issues).toMatchObject([
      { field: 'name', problem: 'mixed-script' },
    ]);
  });

  it('quotes at most 80 characters of a value and shows invisible characters by number', () => {
    const value = `\u202e${'x'.repeat(150)}`;
    expect(
      schemaProblem(() =>
        validateSubject('EconomicCertificateCredential', { ...originSubject, goodsDescription: value }),
      ),
    ).toMatchObject({ field: 'goodsDescription', problem: 'control-character', value: `⟨U+202E⟩${'x'.repeat(79)}…` });
    expect(visibleText('a\u00A0b\u200dc')).toBe('"a⟨U+00A0⟩b⟨U+200D⟩c"');
  });

  it('checks every string field for hidden characters and look-alike words, not only names', () => {
    const company = (patch: Record<string, unknown>) =>
      checkSubject('EconomicCertificateCredential', { ...companySubject, ...patch }).issues;
    expect(company({ address: '臺北市中正區重慶南路一段122號\u2066' })).toMatchObject([
      { field: 'address', problem: 'control-character' },
    ]);
    expect(company({ address: 'Taip\u0435i 101' })).toMatchObject([{ field: 'address', problem: 'mixed-script' }]);
    expect(company({ address: '<script>alert(1)</script>' })).toMatchObject([{ field: 'address', problem: 'markup' }]);
    expect(company({ representative: 'Ｌｉｎ' })).toMatchObject([{ field: 'representative', problem: 'fullwidth' }]);
    expect(company({ certificateNumber: 'СО-2026-0001' })).toMatchObject([
      { field: 'certificateNumber', problem: 'pattern' },
    ]);
    // Mixed Han and Latin in one free text is ordinary ("台北 101 Taipei").
    expect(company({ address: '臺北市信義區信義路五段7號 Taipei 101' })).toEqual([]);
  });

  it('lists every bad field of a subject at once, each with its rule', () => {
    const { issues } = checkSubject('LawyerLicenceCredential', {
      ...lawyerSubject,
      name: 'W\u0430ng',
      admissionDate: '2026-02-30',
      lawFirm: 'evil.com',
    });
    expect(issues.map(({ field, problem }) => ({ field, problem }))).toEqual([
      { field: 'name', problem: 'mixed-script' },
      { field: 'admissionDate', problem: 'invalid-date' },
      { field: 'lawFirm', problem: 'link' },
    ]);
    expect(issues[1]?.rule.en).toBe('a calendar date YYYY-MM-DD (1900 or later); required');
    expect(issues[2]?.rule.en).toMatch(/; optional when practiceStatus is practising, otherwise left empty$/);
  });

  it('accepts thousands of realistic generated subjects of every type and kind', () => {
    const gen = createSampleGenerator(13);
    for (let i = 0; i < 1500; i++) {
      for (const sample of [gen.lawyerLicence(), gen.economicCertificate()]) {
        const subject = sample.payload.credentialSubject;
        expect({ subject, issues: checkSubject(sample.type, subject).issues }).toEqual({ subject, issues: [] });
      }
    }
  });

  it('gives every field a rule in both languages and an example that passes', () => {
    for (const type of Object.values(credentialTypes)) {
      const example: Record<string, unknown> = {};
      for (const field of type.fields) {
        const spec = field.type === 'list' ? field.items : field;
        if (spec.type === 'string') {
          expect(spec.rule?.['zh-TW'].length).toBeGreaterThan(0);
          expect(spec.rule?.en.length).toBeGreaterThan(0);
        }
        expect(field.example).toBeDefined();
        example[field.name] = field.example;
      }
      // The examples make a valid subject for every value of each field that others depend on (every kind).
      const conditions = [...new Set(type.fields.flatMap((f) => (f.when ? [f.when.field] : [])))];
      const variants = conditions.flatMap((name) => {
        const field = type.fields.find((f) => f.name === name);
        return field?.type === 'enum' ? field.values.map((v) => ({ [name]: v.value })) : [];
      });
      for (const variant of variants.length === 0 ? [{}] : variants) {
        const chosen: Record<string, unknown> = { ...example, ...variant };
        const subject = Object.fromEntries(
          type.fields
            .filter((f) => f.when === undefined || f.when.in.includes(chosen[f.when.field] as string))
            .map((f) => [f.name, chosen[f.name]]),
        );
        expect({ subject, issues: checkSubject(type, subject).issues }).toEqual({ subject, issues: [] });
      }
    }
  });
});

describe('browser safety', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
  // The types, the schema and the text rules are @credledger/verify's (its own test proves that package);
  // DID documents are @credledger/server's, which is Node only.
  const browserModules = ['credentials/credential.ts', 'credentials/decode.ts', 'credentials/digest-async.ts'];

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
    // The one package allowed is the browser-safe verifier core.
    const packages = imports.filter((i) => !i.startsWith('node:') && !i.endsWith('.ts'));
    expect(packages.filter((p) => !['@credledger/verify', '@credledger/verify/formats'].includes(p))).toEqual([]);
  });
});
