/**
 * Preset deflate dictionary #1 (format ids 0x01 and 0x02). PART OF THE WIRE FORMAT: never edit this
 * file in place. Every credential encoded with it must stay decodable for its whole validity, so a
 * better dictionary is a new file with a new format id. Its SHA-256 (of the UTF-8 bytes) is published
 * in ./README and checked by packages/issuer/test/qr-dictionaries.test.ts.
 *
 * Built from the shape of credledger credentials (docs/data-model.md "Credential", the type
 * definitions in packages/verify/src/credentials/types, status entries as packages/issuer/src/status writes them): JOSE header
 * forms, the VC 2.0 envelope, Bitstring status entries, field names, and common public values (bar
 * associations, cities and districts, industry categories). No personal data. Deflate codes a nearer
 * match more cheaply, so the most common text comes last; `\u0000` separates header and payload in
 * format 0x01.
 */
export const dictionary1Text: string = [
  // Common public values, least frequent first.
  '"JP","US","CN","HK","VN","SG","KR","DE","NL","GB","MY","TH","PH","ID","IN","AU","CA","FR","IT","AE","MX" Co., Ltd. Inc. Corporation GmbH B.V. Pte. Ltd. JSC ',
  '化學製品製造業基本金屬製造業其他運輸工具及其零件製造業食品製造業紡織業塑膠製品製造業機械設備製造業電腦、電子產品及光學製品製造業電子零組件製造業金屬製品製造業',
  '基隆市嘉義市嘉義縣苗栗縣南投縣雲林縣屏東縣宜蘭縣花蓮縣臺東縣澎湖縣金門縣新竹縣彰化縣新竹市',
  '北投區南港區內湖區士林區松山區中山區大安區信義區中正區汐止區林口區新店區土城區三重區中和區新莊區板橋區龜山區蘆竹區平鎮區中壢區桃園區太平區大里區北屯區南屯區西屯區永康區安南區善化區楠梓區鳳山區三民區苓雅區前鎮區竹北市東區北區西區南區',
  '科學園區工業區建國路復興路光復路仁愛路和平東路忠孝東路民權路民生路中正路中山路一段二段三段巷弄號樓之',
  '臺北市新北市桃園市臺中市臺南市高雄市',
  '企業社實業國際貿易科技工業股份有限公司有限公司',
  '澎湖律師公會金門律師公會花蓮律師公會台東律師公會宜蘭律師公會基隆律師公會屏東律師公會南投律師公會雲林律師公會苗栗律師公會彰化律師公會嘉義律師公會新竹律師公會桃園律師公會高雄律師公會台南律師公會台中律師公會新北律師公會台北律師公會全國律師聯合會',
  '聯合法律事務所國際法律事務所律師事務所',
  // Header forms other than the default.
  '{"typ":"vc+jwt","alg":"EdDSA","kid":"did:web:moea.gov.tw#key-2"}',
  '{"alg":"EdDSA","typ":"vc+jwt","kid":"did:web:moea.gov.tw#key-2"}\u0000{"iat":17',
  '{"typ":"vc+jwt","alg":"ES256","kid":"did:web:moj.gov.tw#key-1"}',
  // Economic e-certificate (經濟數位書證): kind-specific fields, least common kinds first.
  ',"destinationCountry":"","consignee":"","goodsDescription":"","hsCode":"","invoiceNumber":"INV-2026',
  ',"factoryRegistrationNumber":"6","factoryName":"廠","factoryAddress":"","industries":["製造業"]',
  ',"representative":"","capital":,"establishedDate":"","address":"',
  '{"alg":"ES256","typ":"vc+jwt","kid":"did:web:moea.gov.tw#key-1"}\u0000',
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://credledger.org/ns/v1"],"type":["VerifiableCredential","EconomicCertificateCredential"],"id":"urn:uuid:',
  '","issuer":"did:web:moea.gov.tw","validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z",',
  '"credentialSubject":{"kind":"certificate-of-origin","kind":"factory-registration","kind":"company-registration","certificateNumber":"經工字第經商字第2026',
  '","companyName":"股份有限公司","ubn":"","issueDate":"2026-',
  '"},"credentialStatus":[{"id":"https://verify.moea.gov.tw/status/moea.gov.tw/revocation#',
  '","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"',
  '","statusListCredential":"https://verify.moea.gov.tw/status/moea.gov.tw/revocation"},',
  '{"id":"https://verify.moea.gov.tw/status/moea.gov.tw/suspension#',
  '","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"',
  '","statusListCredential":"https://verify.moea.gov.tw/status/moea.gov.tw/suspension"}],',
  '"iss":"did:web:moea.gov.tw","jti":"urn:uuid:',
  // Lawyer licence (律師證書): the tightest size budget, so it sits nearest.
  '{"alg":"ES256","typ":"vc+jwt","kid":"did:web:moj.gov.tw#key-1"}\u0000',
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://credledger.org/ns/v1"],"type":["VerifiableCredential","LawyerLicenceCredential"],"id":"urn:uuid:',
  '","issuer":"did:web:moj.gov.tw","validFrom":"2026-01-01T00:00:00Z","validUntil":"2036-01-01T00:00:00Z",',
  '"credentialSubject":{"name":"","nameEn":", ","licenceNumber":"(1',
  ')台檢證字第號","admissionDate":"20',
  '","practiceStatus":"not-practising","practiceStatus":"practising","barMemberships":["台北律師公會"],"lawFirm":"法律事務所',
  '"},"credentialStatus":[{"id":"https://verify.moj.gov.tw/status/moj.gov.tw/revocation#',
  '","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"',
  '","statusListCredential":"https://verify.moj.gov.tw/status/moj.gov.tw/revocation"},',
  '{"id":"https://verify.moj.gov.tw/status/moj.gov.tw/suspension#',
  '","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"',
  '","statusListCredential":"https://verify.moj.gov.tw/status/moj.gov.tw/suspension"}],',
  '"iss":"did:web:moj.gov.tw","jti":"urn:uuid:","iat":17,"nbf":17,"exp":20}',
  // Value streams of the template format 0x03 (see ../template.ts): envelope values, then the subject.
  'ES256\u0000did:web:moea.gov.tw#key-1\u0000EconomicCertificateCredential\u0000did:web:moea.gov.tw\u000017',
  '\u000094608000\u000094694400\u000031622400\u000031536000\u00000\u0000https://verify.moea.gov.tw/status/moea.gov.tw\u0000',
  '\u0000{"kind":"certificate-of-origin","certificateNumber":"","companyName":"股份有限公司","ubn":"","issueDate":"2026-","destinationCountry":"JP","consignee":" Trading Industrial Electronics Co., Ltd.","goodsDescription":" parts","hsCode":"","invoiceNumber":"INV-2026',
  '\u0000{"kind":"factory-registration","certificateNumber":"經工字第2026","companyName":"","ubn":"","issueDate":"2026-","factoryRegistrationNumber":"6","factoryName":"廠","factoryAddress":"","industries":["製造業"]}',
  '\u0000{"kind":"company-registration","certificateNumber":"經商字第2026","companyName":"股份有限公司","ubn":"","issueDate":"2026-","representative":"","capital":,"establishedDate":"","address":"臺北市"}',
  'ES256\u0000did:web:moj.gov.tw#key-1\u0000LawyerLicenceCredential\u0000did:web:moj.gov.tw\u000017',
  '\u0000315532800\u0000315619200\u00000\u0000https://verify.moj.gov.tw/status/moj.gov.tw\u0000',
  '\u0000{"name":"","nameEn":", ","licenceNumber":"(1)台檢證字第號","admissionDate":"20","practiceStatus":"not-practising","practiceStatus":"practising","barMemberships":["台北律師公會"],"lawFirm":"法律事務所"}',
].join('');
