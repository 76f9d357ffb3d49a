/**
 * Preset deflate dictionary #1 (format ids 0x01 and 0x02). PART OF THE WIRE FORMAT: never edit this
 * file in place. Every credential encoded with it must stay decodable for its whole validity, so a
 * better dictionary is a new file with a new format id. Its SHA-256 (of the UTF-8 bytes) is published
 * in ./README and checked by sdk/test/qr-dictionaries.test.ts.
 *
 * Built from the shape of credledger credentials (docs/data-model.md "Credential"): JOSE header forms,
 * VC 2.0 envelope, Bitstring status entries, the field names of each credential type and common public
 * values (bar associations, cities, authorities). No personal data. Deflate codes a nearer match more
 * cheaply, so the most common text comes last; `\u0000` is the header/payload separator of format 0x01.
 */
export const dictionary1Text: string = [
  // Common values, least frequent first.
  '臺北市新北市桃園市臺中市臺南市高雄市新竹市新竹縣苗栗縣彰化縣南投縣雲林縣嘉義市嘉義縣屏東縣宜蘭縣花蓮縣臺東縣基隆市',
  '中正區大安區信義區松山區中山區內湖區南港區士林區北投區板橋區新莊區中和區三重區新店區土城區汐止區林口區桃園區中壢區龜山區蘆竹區西屯區南屯區北屯區前鎮區苓雅區三民區鳳山區楠梓區',
  '中山路中正路民生路民權路建國路復興路光復路仁愛路忠孝東路和平東路工業區一路二路三路段巷弄號樓之',
  '製造業金屬製品製造業電子零組件製造業電腦、電子產品及光學製品製造業機械設備製造業食品製造業塑膠製品製造業紡織業',
  '"JP","US","DE","NL","VN","SG","KR","CN","HK","GB","MY","TH","IN","AU","PCS","KG","SETS","CTNS"',
  '經濟部國際貿易署中華民國全國工業總會進出口商業同業公會經濟部商業發展署經濟部產業發展署政府',
  '台北律師公會新北律師公會桃園律師公會新竹律師公會苗栗律師公會台中律師公會彰化律師公會南投律師公會雲林律師公會嘉義律師公會台南律師公會高雄律師公會屏東律師公會宜蘭律師公會基隆律師公會花蓮律師公會台東律師公會澎湖律師公會金門律師公會',
  '企業社工業股份有限公司科技股份有限公司實業有限公司國際貿易有限公司廠 Co., Ltd. Inc. ',
  // Header forms other than the default.
  '{"typ":"vc+jwt","alg":"ES256","kid":"did:web:moea.gov.tw#key-2"}',
  '{"alg":"EdDSA","typ":"vc+jwt","kid":"did:web:moea.gov.tw#key-1"}\u0000{"iat":17',
  // Economic e-certificate (經濟數位書證), kind-specific fields, least common kinds first.
  ',"exporter":"","consignee":"","destinationCountry":"","originCountry":"TW","goods":[{"description":"","hsCode":"","quantity":""}],"invoiceNumber":"INV-2026","issuingAuthority":"',
  ',"factoryName":"","address":"","industry":[{"code":"","name":""}]},"factoryRegistrationNumber":"',
  '{"alg":"ES256","typ":"vc+jwt","kid":"did:web:moea.gov.tw#key-1"}\u0000',
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://credledger.org/ns/v1"],"type":["VerifiableCredential","EconomicCertificateCredential"],"id":"urn:uuid:',
  '","issuer":"did:web:moea.gov.tw","validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z",',
  '"credentialSubject":{"kind":"certificate-of-origin","kind":"factory-registration","kind":"company-registration","certificateNumber":"',
  '","holder":{"name":"股份有限公司","businessId":"","issueDate":"2026-',
  '","representative":"","capital":"address":"臺北市","registrationAuthority":"',
  '"},"credentialStatus":[{"id":"https://verify.moea.gov.tw/status/moea/revocation#',
  '","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"',
  '","statusListCredential":"https://verify.moea.gov.tw/status/moea/revocation"},',
  '{"id":"https://verify.moea.gov.tw/status/moea/suspension#',
  '","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"',
  '","statusListCredential":"https://verify.moea.gov.tw/status/moea/suspension"}],',
  '"iss":"did:web:moea.gov.tw","jti":"urn:uuid:',
  // Lawyer licence (律師證書): the tightest size budget, so it sits nearest.
  '{"alg":"ES256","typ":"vc+jwt","kid":"did:web:moj.gov.tw#key-1"}\u0000',
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://credledger.org/ns/v1"],"type":["VerifiableCredential","LawyerLicenceCredential"],"id":"urn:uuid:',
  '","issuer":"did:web:moj.gov.tw","validFrom":"2026-01-01T00:00:00Z","validUntil":"2036-01-01T00:00:00Z",',
  '"credentialSubject":{"name":"","nameEn":", ","licenceNumber":"(1',
  ')台檢證字第號","admissionDate":"20',
  '","barAssociations":[{"name":"台北律師公會","memberNumber":"',
  '","since":"20"}]},"credentialStatus":[{"id":"https://verify.moj.gov.tw/status/moj/revocation#',
  '","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"',
  '","statusListCredential":"https://verify.moj.gov.tw/status/moj/revocation"},',
  '{"id":"https://verify.moj.gov.tw/status/moj/suspension#',
  '","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"',
  '","statusListCredential":"https://verify.moj.gov.tw/status/moj/suspension"}],',
  '"iss":"did:web:moj.gov.tw","jti":"urn:uuid:","iat":17,"nbf":17,"exp":20',
].join('');
