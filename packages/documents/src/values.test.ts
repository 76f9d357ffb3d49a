import { describe, expect, it } from '@jest/globals';

import { getCredentialType } from '@credledger/verify';

import { printedDate, printedValue, taipeiDate, titleCase } from './values.js';

const lawyer = getCredentialType('LawyerLicenceCredential');
const company = getCredentialType('EconomicCertificateCredential');
const field = (type: typeof lawyer, name: string) => type.fields.find((f) => f.name === name)!;

describe('printed values', () => {
  it('writes dates in the ROC calendar first, the Gregorian date in English', () => {
    expect(printedDate('2023-09-15')).toEqual({ zh: '中華民國112年9月15日', en: '15 September 2023' });
    expect(printedDate('1912-01-01')).toEqual({ zh: '中華民國1年1月1日', en: '1 January 1912' });
    expect(printedDate('1900-05-02').zh).toBe('西元1900年5月2日');
  });

  it('takes the calendar date of an instant in Taiwan (UTC+8)', () => {
    expect(taipeiDate('2026-12-05T15:59:59Z')).toBe('2026-12-05');
    expect(taipeiDate('2026-12-05T16:00:00Z')).toBe('2026-12-06');
  });

  it('prints enum values by their labels, lists joined per language, numbers grouped', () => {
    expect(printedValue(field(lawyer, 'practiceStatus'), 'practising')).toEqual({ zh: '執業中', en: 'Practising' });
    expect(printedValue(field(lawyer, 'barMemberships'), ['臺北律師公會', '新北律師公會'])).toEqual({
      zh: '臺北律師公會、新北律師公會',
    });
    expect(printedValue(field(company, 'capital'), 50000000)).toEqual({ zh: '50,000,000' });
    expect(printedValue(field(lawyer, 'admissionDate'), '2020-09-01').en).toBe('1 September 2020');
  });

  it('prints a value of an unexpected shape as text', () => {
    expect(printedValue(field(lawyer, 'practiceStatus'), 'retired')).toEqual({ zh: 'retired' });
  });

  it('title-cases an English noun', () => {
    expect(titleCase('company registration certificate')).toBe('Company Registration Certificate');
    expect(titleCase('e-certificate')).toBe('E-Certificate');
  });
});
