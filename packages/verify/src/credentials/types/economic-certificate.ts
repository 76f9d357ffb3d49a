import type { CredentialTypeDefinition } from './definition.js';
import { freeTextRule, organisationNameRule, personalNameRule } from './rules.js';

const companyRegistration = ['company-registration'];
const factoryRegistration = ['factory-registration'];
const certificateOfOrigin = ['certificate-of-origin'];

/**
 * 經濟部數位書證 — an economic e-certificate issued by the Ministry of Economic Affairs about a company,
 * identified by its 統一編號. `kind` selects the certificate and with it the kind-specific fields.
 */
export const economicCertificateCredential = {
  name: 'EconomicCertificateCredential',
  title: { 'zh-TW': '經濟部數位書證', en: 'Economic e-Certificate' },
  noun: { 'zh-TW': '經濟部數位書證', en: 'economic e-certificate' },
  nounField: 'kind',
  defaultValidityYears: 1,
  fields: [
    {
      name: 'kind',
      label: { 'zh-TW': '書證種類', en: 'Certificate kind' },
      type: 'enum',
      required: true,
      values: [
        {
          value: 'company-registration',
          label: { 'zh-TW': '公司登記', en: 'Company registration' },
          noun: { 'zh-TW': '公司登記證明書', en: 'company registration certificate' },
        },
        {
          value: 'factory-registration',
          label: { 'zh-TW': '工廠登記', en: 'Factory registration' },
          noun: { 'zh-TW': '工廠登記證明文件', en: 'factory registration certificate' },
        },
        {
          value: 'certificate-of-origin',
          label: { 'zh-TW': '產地證明書', en: 'Certificate of origin' },
          noun: { 'zh-TW': '產地證明書', en: 'certificate of origin' },
        },
      ],
      example: 'company-registration',
    },
    {
      name: 'certificateNumber',
      label: { 'zh-TW': '書證字號', en: 'Certificate number' },
      type: 'string',
      required: true,
      maxLength: 30,
      pattern: '[\\p{Unified_Ideograph}A-Za-z0-9()（）/-]+',
      rule: {
        'zh-TW': '依書證所載的字號：漢字、英文字母、數字、括號、/ 與 -，例如 經授商字第11501234560號',
        en: 'the number as printed on the certificate: Han characters, letters A–Z, digits, parentheses, / and -, e.g. 經授商字第11501234560號',
      },
      example: '經授商字第11501234560號',
    },
    {
      name: 'companyName',
      label: { 'zh-TW': '公司名稱', en: 'Company name' },
      type: 'string',
      required: true,
      maxLength: 100,
      text: 'organisation-name',
      scripts: ['Han', 'Latin'],
      rule: organisationNameRule,
      example: '台灣精密機械股份有限公司',
    },
    {
      name: 'ubn',
      label: { 'zh-TW': '統一編號', en: 'Business ID number (UBN)' },
      type: 'ubn',
      required: true,
      example: '04595257',
    },
    {
      name: 'issueDate',
      label: { 'zh-TW': '發證日期', en: 'Date of issue' },
      type: 'date',
      required: true,
      example: '2026-11-20',
    },
    {
      name: 'representative',
      label: { 'zh-TW': '代表人姓名', en: 'Representative' },
      type: 'string',
      required: true,
      maxLength: 40,
      text: 'personal-name',
      scripts: ['Han', 'Latin'],
      rule: personalNameRule,
      example: '林志明',
      when: { field: 'kind', in: companyRegistration },
    },
    {
      name: 'capital',
      label: { 'zh-TW': '資本總額（新臺幣元）', en: 'Total capital (NTD)' },
      type: 'integer',
      required: false,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      example: 250000000,
      when: { field: 'kind', in: companyRegistration },
    },
    {
      name: 'establishedDate',
      label: { 'zh-TW': '核准設立日期', en: 'Date of incorporation' },
      type: 'date',
      required: true,
      example: '1998-03-12',
      when: { field: 'kind', in: companyRegistration },
    },
    {
      name: 'address',
      label: { 'zh-TW': '公司所在地', en: 'Registered address' },
      type: 'string',
      required: true,
      maxLength: 120,
      rule: freeTextRule,
      example: '臺北市中正區重慶南路一段122號',
      when: { field: 'kind', in: companyRegistration },
    },
    {
      name: 'factoryRegistrationNumber',
      label: { 'zh-TW': '工廠登記編號', en: 'Factory registration number' },
      type: 'string',
      required: true,
      maxLength: 8,
      pattern: '[0-9]{8}',
      rule: { 'zh-TW': '8 位數字', en: '8 digits' },
      example: '99612345',
      when: { field: 'kind', in: factoryRegistration },
    },
    {
      name: 'factoryName',
      label: { 'zh-TW': '工廠名稱', en: 'Factory name' },
      type: 'string',
      required: true,
      maxLength: 100,
      text: 'organisation-name',
      scripts: ['Han', 'Latin'],
      rule: organisationNameRule,
      example: '永豐食品工業股份有限公司桃園廠',
      when: { field: 'kind', in: factoryRegistration },
    },
    {
      name: 'factoryAddress',
      label: { 'zh-TW': '工廠地址', en: 'Factory address' },
      type: 'string',
      required: true,
      maxLength: 120,
      rule: freeTextRule,
      example: '桃園市觀音區工業五路8號',
      when: { field: 'kind', in: factoryRegistration },
    },
    {
      name: 'industries',
      label: { 'zh-TW': '產業類別', en: 'Industries' },
      type: 'list',
      required: false,
      minItems: 1,
      maxItems: 10,
      unique: true,
      items: { type: 'string', maxLength: 40, rule: freeTextRule },
      example: ['08 食品及飼品製造業'],
      when: { field: 'kind', in: factoryRegistration },
    },
    {
      name: 'destinationCountry',
      label: { 'zh-TW': '目的地國家', en: 'Destination country' },
      type: 'string',
      required: true,
      maxLength: 2,
      // ISO 3166-1 alpha-2.
      pattern: '[A-Z]{2}',
      rule: {
        'zh-TW': 'ISO 3166-1 二位大寫國家代碼，例如 DE、JP、US',
        en: 'the ISO 3166-1 two-letter country code in capitals, e.g. DE, JP, US',
      },
      example: 'DE',
      when: { field: 'kind', in: certificateOfOrigin },
    },
    {
      name: 'consignee',
      label: { 'zh-TW': '收貨人', en: 'Consignee' },
      type: 'string',
      required: true,
      maxLength: 100,
      // Consignees abroad: Latin letters mostly, Japanese and Korean names as written there.
      text: 'organisation-name',
      scripts: ['Latin', 'Han', 'Hiragana', 'Katakana', 'Hangul'],
      rule: {
        'zh-TW':
          "機構名稱：拉丁字母及（或）漢字、日文假名或韓文、數字、空白與 ( ) （ ） & ， , 、 . - ' ’ · ‧ ． ・；不得含 < >、連結或網址，不得用全形英數字或混用形似字母",
        en: "an organisation name: Latin letters and/or Han characters, Japanese kana or Hangul, digits, spaces and ( ) （ ） & ， , 、 . - ' ’ · ‧ ． ・; no < >, links or web addresses, no fullwidth letters or digits, no look-alike letters of another script",
      },
      example: 'Müller Werkzeugbau GmbH',
      when: { field: 'kind', in: certificateOfOrigin },
    },
    {
      name: 'goodsDescription',
      label: { 'zh-TW': '貨品名稱', en: 'Description of goods' },
      type: 'string',
      required: true,
      maxLength: 200,
      rule: freeTextRule,
      example: 'CNC lathes, model TPM-420',
      when: { field: 'kind', in: certificateOfOrigin },
    },
    {
      name: 'hsCode',
      label: { 'zh-TW': '貨品分類號列', en: 'HS / CCC code' },
      type: 'string',
      required: false,
      maxLength: 11,
      // HS subheading (6), Taiwan tariff (8, 10) or CCC code with its check digit (11).
      pattern: '[0-9]{6}(?:[0-9]{2}(?:[0-9]{2}[0-9]?)?)?',
      rule: {
        'zh-TW': '6、8、10 或 11 位數字（HS 目、我國稅則號別或含檢查碼的 CCC 號列）',
        en: '6, 8, 10 or 11 digits (HS subheading, Taiwan tariff number, or CCC code with its check digit)',
      },
      example: '845811',
      when: { field: 'kind', in: certificateOfOrigin },
    },
    {
      name: 'invoiceNumber',
      label: { 'zh-TW': '發票號碼', en: 'Invoice number' },
      type: 'string',
      required: false,
      maxLength: 30,
      pattern: '[A-Za-z0-9/-]+',
      rule: { 'zh-TW': '英文字母 A–Z、數字、/ 與 -', en: 'letters A–Z, digits, / and -' },
      example: 'TPM-INV-88812',
      when: { field: 'kind', in: certificateOfOrigin },
    },
  ],
  // Per kind, since one company rightly holds several certificates at once: one company registration
  // per 統一編號, one factory registration per factory (a company may run several), one certificate
  // of origin per certificate number (one per shipment). The kind is part of the identifier, so a
  // factory number never meets a 統一編號 with the same digits.
  subjectIdentifier: [
    { when: { field: 'kind', in: companyRegistration }, fields: ['kind', 'ubn'] },
    { when: { field: 'kind', in: factoryRegistration }, fields: ['kind', 'factoryRegistrationNumber'] },
    {
      when: { field: 'kind', in: certificateOfOrigin },
      fields: ['kind', 'certificateNumber'],
      // The number's pattern admits full- and half-width parentheses: one number either way.
      canonical: [
        { pattern: '（', replacement: '(' },
        { pattern: '）', replacement: ')' },
      ],
    },
  ],
} as const satisfies CredentialTypeDefinition;
