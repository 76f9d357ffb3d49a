import type { CredentialTypeDefinition } from './definition.js';
import { organisationNameRule, personalNameRule } from './rules.js';

/**
 * 律師證書 — a lawyer licence issued by the Ministry of Justice.
 *
 * What a citizen checking a lawyer needs: the name, the licence number, since when, the bar
 * associations (律師公會) the lawyer belongs to and whether they practise. The national ID number is
 * deliberately absent: the licence number identifies the licence, and the credential rides in a QR code.
 */
export const lawyerLicenceCredential = {
  name: 'LawyerLicenceCredential',
  title: { 'zh-TW': '律師證書', en: 'Lawyer Licence' },
  noun: { 'zh-TW': '律師證書', en: 'lawyer licence' },
  defaultValidityYears: 10,
  fields: [
    {
      name: 'name',
      label: { 'zh-TW': '姓名', en: 'Name' },
      type: 'string',
      required: true,
      maxLength: 40,
      // As household registration writes it: Han characters (an indigenous name transliterated into Han
      // with its parts joined by a middle dot), or an indigenous or foreign name in Latin letters. A name
      // registered in both (並列登記) gives the Latin form in nameEn. See docs/decisions/0011-text-rules-after-uts-39.md.
      text: 'personal-name',
      scripts: ['Han', 'Latin'],
      rule: personalNameRule,
      example: '王小明',
    },
    {
      name: 'nameEn',
      label: { 'zh-TW': '英文姓名', en: 'Name (English)' },
      type: 'string',
      required: false,
      maxLength: 80,
      pattern: "[A-Za-z](?:[A-Za-z .,'-]*[A-Za-z.])?",
      rule: {
        'zh-TW': '護照上的英文姓名：英文字母 A–Z，可含空白、連字號、撇號、逗號與句點，例如 WANG, HSIAO-MING',
        en: 'the name in letters A–Z as in the passport, with spaces, hyphens, apostrophes, commas and periods, e.g. WANG, HSIAO-MING',
      },
      example: 'WANG, HSIAO-MING',
    },
    {
      name: 'licenceNumber',
      label: { 'zh-TW': '證書字號', en: 'Licence number' },
      type: 'string',
      required: true,
      maxLength: 24,
      // As printed on the certificate: (ROC year)台檢證字第<serial>號, half-width parentheses, e.g. (115)台檢證字第012345號.
      pattern: '\\([1-9][0-9]{1,2}\\)[台臺]檢證字第[0-9]{1,6}號',
      rule: {
        'zh-TW': '依證書所載：(民國年)台檢證字第<序號>號，半形括號，例如 (115)台檢證字第012345號',
        en: 'as printed on the certificate: (ROC year)台檢證字第<serial>號 with half-width parentheses, e.g. (115)台檢證字第012345號',
      },
      example: '(115)台檢證字第012345號',
    },
    {
      name: 'admissionDate',
      label: { 'zh-TW': '取得律師資格日期', en: 'Date of admission' },
      type: 'date',
      required: true,
      example: '2026-09-01',
    },
    {
      name: 'practiceStatus',
      label: { 'zh-TW': '執業狀態', en: 'Practice status' },
      type: 'enum',
      required: true,
      values: [
        { value: 'practising', label: { 'zh-TW': '執業中', en: 'Practising' } },
        { value: 'not-practising', label: { 'zh-TW': '未執業', en: 'Not practising' } },
      ],
      example: 'practising',
    },
    {
      name: 'barMemberships',
      label: { 'zh-TW': '所屬律師公會', en: 'Bar association memberships' },
      type: 'list',
      required: false,
      minItems: 1,
      maxItems: 20,
      unique: true,
      items: {
        type: 'string',
        maxLength: 20,
        pattern: '\\p{Unified_Ideograph}{1,12}律師(?:公會|聯合會)',
        rule: {
          'zh-TW': '律師公會全名（漢字，以「律師公會」或「律師聯合會」結尾），例如 臺北律師公會',
          en: 'the full name of a bar association in Han characters, ending in 律師公會 or 律師聯合會, e.g. 臺北律師公會',
        },
      },
      example: ['臺北律師公會', '全國律師聯合會'],
    },
    {
      name: 'lawFirm',
      label: { 'zh-TW': '執業事務所', en: 'Law firm' },
      type: 'string',
      required: false,
      maxLength: 60,
      text: 'organisation-name',
      scripts: ['Han', 'Latin'],
      rule: organisationNameRule,
      example: '明理法律事務所',
      when: { field: 'practiceStatus', in: ['practising'] },
    },
  ],
  // One licence number, one lawyer: 臺 and 台 are one character here, and a serial means the same with
  // or without its leading zeros (第012345號 = 第12345號).
  subjectIdentifier: [
    {
      fields: ['licenceNumber'],
      canonical: [
        { pattern: '臺', replacement: '台' },
        { pattern: '第0+(?=[0-9])', replacement: '第' },
      ],
    },
  ],
} as const satisfies CredentialTypeDefinition;
