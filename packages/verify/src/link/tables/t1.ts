/**
 * Template table #1 (format 0x04, ../schema-template.ts). PART OF THE WIRE FORMAT: never edit this
 * file in place. A link stores indexes into these lists (credential type, field, enum value,
 * vocabulary entry), so a changed list would rebuild other bytes. A changed or new credential type is
 * a new table with a new format id; until then its credentials fall back to the formats that carry
 * text (0x03, 0x01), which the encoder finds on its own.
 *
 * Taken from packages/verify/src/credentials/types (field order, kinds, enum values, `when` conditions) as they
 * stood when the table was made, plus public vocabularies a value is often one of: the bar
 * associations (律師公會), the manufacturing categories of the Standard Industrial Classification of
 * Taiwan (行業統計分類, section C), and ISO 3166-1 alpha-2 country codes. A value outside a
 * vocabulary travels as text; a vocabulary only makes common values shorter.
 */

/** A value of one JSON kind: how the template packs it. */
export type TableValue =
  | { readonly kind: 'string'; readonly vocabulary?: readonly string[] }
  | { readonly kind: 'date' }
  | { readonly kind: 'ubn' }
  | { readonly kind: 'integer' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/** One `credentialSubject` property, in the order the credential writes them. */
export type TableField = (TableValue | { readonly kind: 'list'; readonly items: TableValue }) & {
  readonly name: string;
  readonly required: boolean;
  /** Present only when an earlier enum field has one of these values. */
  readonly when?: { readonly field: string; readonly in: readonly string[] };
};

export interface TableType {
  readonly name: string;
  readonly fields: readonly TableField[];
}

export interface TemplateTable {
  /** JOSE algorithms, by index. */
  readonly algorithms: readonly string[];
  /** `@context` of every credential the table covers. */
  readonly contexts: readonly string[];
  /** Credential types, by index. */
  readonly types: readonly TableType[];
}

const barAssociations = [
  '全國律師聯合會',
  '台北律師公會',
  '新北律師公會',
  '桃園律師公會',
  '新竹律師公會',
  '苗栗律師公會',
  '台中律師公會',
  '彰化律師公會',
  '南投律師公會',
  '雲林律師公會',
  '嘉義律師公會',
  '台南律師公會',
  '高雄律師公會',
  '屏東律師公會',
  '宜蘭律師公會',
  '基隆律師公會',
  '花蓮律師公會',
  '台東律師公會',
  '澎湖律師公會',
  '金門律師公會',
];

/** 行業統計分類 section C (製造業), middle categories 08–34, official zh-TW names. */
const manufacturingCategories = [
  '食品製造業',
  '飲料製造業',
  '菸草製造業',
  '紡織業',
  '成衣及服飾品製造業',
  '皮革、毛皮及其製品製造業',
  '木竹製品製造業',
  '紙漿、紙及紙製品製造業',
  '印刷及資料儲存媒體複製業',
  '石油及煤製品製造業',
  '化學原材料、肥料、氮化合物、塑橡膠原料及人造纖維製造業',
  '其他化學製品製造業',
  '藥品及醫用化學製品製造業',
  '橡膠製品製造業',
  '塑膠製品製造業',
  '非金屬礦物製品製造業',
  '基本金屬製造業',
  '金屬製品製造業',
  '電子零組件製造業',
  '電腦、電子產品及光學製品製造業',
  '電力設備及配備製造業',
  '機械設備製造業',
  '汽車及其零件製造業',
  '其他運輸工具及其零件製造業',
  '家具製造業',
  '其他製造業',
  '產業用機械設備維修及安裝業',
];

/** ISO 3166-1 alpha-2, officially assigned codes, alphabetical. */
const countries = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const companyRegistration = ['company-registration'];
const factoryRegistration = ['factory-registration'];
const certificateOfOrigin = ['certificate-of-origin'];

export const templateTable1: TemplateTable = {
  algorithms: ['ES256', 'EdDSA'],
  contexts: ['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1'],
  types: [
    {
      name: 'LawyerLicenceCredential',
      fields: [
        { name: 'name', kind: 'string', required: true },
        { name: 'nameEn', kind: 'string', required: false },
        { name: 'licenceNumber', kind: 'string', required: true },
        { name: 'admissionDate', kind: 'date', required: true },
        { name: 'practiceStatus', kind: 'enum', values: ['practising', 'not-practising'], required: true },
        {
          name: 'barMemberships',
          kind: 'list',
          items: { kind: 'string', vocabulary: barAssociations },
          required: false,
        },
        { name: 'lawFirm', kind: 'string', required: false, when: { field: 'practiceStatus', in: ['practising'] } },
      ],
    },
    {
      name: 'EconomicCertificateCredential',
      fields: [
        {
          name: 'kind',
          kind: 'enum',
          values: ['company-registration', 'factory-registration', 'certificate-of-origin'],
          required: true,
        },
        { name: 'certificateNumber', kind: 'string', required: true },
        { name: 'companyName', kind: 'string', required: true },
        { name: 'ubn', kind: 'ubn', required: true },
        { name: 'issueDate', kind: 'date', required: true },
        { name: 'representative', kind: 'string', required: true, when: { field: 'kind', in: companyRegistration } },
        { name: 'capital', kind: 'integer', required: false, when: { field: 'kind', in: companyRegistration } },
        { name: 'establishedDate', kind: 'date', required: true, when: { field: 'kind', in: companyRegistration } },
        { name: 'address', kind: 'string', required: true, when: { field: 'kind', in: companyRegistration } },
        {
          name: 'factoryRegistrationNumber',
          kind: 'string',
          required: true,
          when: { field: 'kind', in: factoryRegistration },
        },
        { name: 'factoryName', kind: 'string', required: true, when: { field: 'kind', in: factoryRegistration } },
        { name: 'factoryAddress', kind: 'string', required: true, when: { field: 'kind', in: factoryRegistration } },
        {
          name: 'industries',
          kind: 'list',
          items: { kind: 'string', vocabulary: manufacturingCategories },
          required: false,
          when: { field: 'kind', in: factoryRegistration },
        },
        {
          name: 'destinationCountry',
          kind: 'string',
          vocabulary: countries,
          required: true,
          when: { field: 'kind', in: certificateOfOrigin },
        },
        { name: 'consignee', kind: 'string', required: true, when: { field: 'kind', in: certificateOfOrigin } },
        { name: 'goodsDescription', kind: 'string', required: true, when: { field: 'kind', in: certificateOfOrigin } },
        { name: 'hsCode', kind: 'string', required: false, when: { field: 'kind', in: certificateOfOrigin } },
        { name: 'invoiceNumber', kind: 'string', required: false, when: { field: 'kind', in: certificateOfOrigin } },
      ],
    },
  ],
};
