/** Realistic credential subjects for tests (fictional people and companies; UBNs pass the checksum). */

export const lawyerSubject = {
  name: '陳雅婷',
  nameEn: 'Chen Ya-Ting',
  licenceNumber: '(115)台檢證字第012345號',
  admissionDate: '2026-09-01',
  practiceStatus: 'practising',
  barMemberships: ['臺北律師公會', '全國律師聯合會'],
  lawFirm: '明理法律事務所',
};

export const companySubject = {
  kind: 'company-registration',
  certificateNumber: '經授商字第11501234560號',
  companyName: '台灣精密機械股份有限公司',
  ubn: '04595257',
  issueDate: '2026-11-20',
  representative: '林志明',
  capital: 250000000,
  establishedDate: '1998-03-12',
  address: '臺北市中正區重慶南路一段122號',
};

export const factorySubject = {
  kind: 'factory-registration',
  certificateNumber: '工廠登記第99612345號',
  companyName: '永豐食品工業股份有限公司',
  ubn: '10458575',
  issueDate: '2026-10-02',
  factoryRegistrationNumber: '99612345',
  factoryName: '永豐食品工業股份有限公司桃園廠',
  factoryAddress: '桃園市觀音區工業五路8號',
  industries: ['08 食品及飼品製造業'],
};

export const originSubject = {
  kind: 'certificate-of-origin',
  certificateNumber: 'CO-2026-0001234',
  companyName: '台灣精密機械股份有限公司',
  ubn: '04595257',
  issueDate: '2026-11-25',
  destinationCountry: 'DE',
  consignee: 'Müller Werkzeugbau GmbH',
  goodsDescription: 'CNC lathes, model TPM-420',
  hsCode: '845811',
  invoiceNumber: 'TPM-INV-88812',
};
