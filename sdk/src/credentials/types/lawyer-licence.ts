import type { CredentialTypeDefinition } from './definition.js';

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
      // Han names, and indigenous or foreign names in Latin letters with their separators (·‧．).
      pattern: "[\\p{L}\\p{M}](?:[\\p{L}\\p{M} ·‧．.'-]*[\\p{L}\\p{M}])?",
    },
    {
      name: 'nameEn',
      label: { 'zh-TW': '英文姓名', en: 'Name (English)' },
      type: 'string',
      required: false,
      maxLength: 80,
      pattern: "[A-Za-z](?:[A-Za-z .,'-]*[A-Za-z.])?",
    },
    {
      name: 'licenceNumber',
      label: { 'zh-TW': '證書字號', en: 'Licence number' },
      type: 'string',
      required: true,
      maxLength: 24,
      // As printed on the certificate: (ROC year)台檢證字第<serial>號, half-width parentheses, e.g. (115)台檢證字第012345號.
      pattern: '\\([1-9][0-9]{1,2}\\)[台臺]檢證字第[0-9]{1,6}號',
    },
    {
      name: 'admissionDate',
      label: { 'zh-TW': '取得律師資格日期', en: 'Date of admission' },
      type: 'date',
      required: true,
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
    },
    {
      name: 'barMemberships',
      label: { 'zh-TW': '所屬律師公會', en: 'Bar association memberships' },
      type: 'list',
      required: false,
      minItems: 1,
      maxItems: 20,
      unique: true,
      items: { type: 'string', maxLength: 20, pattern: '\\p{Script=Han}{1,12}律師(?:公會|聯合會)' },
    },
    {
      name: 'lawFirm',
      label: { 'zh-TW': '執業事務所', en: 'Law firm' },
      type: 'string',
      required: false,
      maxLength: 60,
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
