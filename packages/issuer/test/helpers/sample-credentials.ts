/**
 * Random but realistic credentials for tests and benchmarks: lawyer licences (律師證書) and economic
 * e-certificates (經濟數位書證: company registration, factory registration, certificate of origin),
 * shaped as docs/data-model.md "Credential" and signed as compact `vc+jwt` JWS with node:crypto.
 *
 * Self-contained on purpose (no relative imports, erasable TypeScript only) so that Node 24 can load
 * it directly from `bench/*.mjs` as well as from jest. Seeded: the same seed gives the same subjects
 * and status indices (signatures differ, keys are generated per generator).
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type SampleAlgorithm = 'ES256' | 'EdDSA';
export type EconomicKind = 'company-registration' | 'factory-registration' | 'certificate-of-origin';
/** `data-model`: keys in the order of docs/data-model.md; `did-jwt`: iat/exp first and iss last, as did-jwt's createJWT spreads them. */
export type PayloadKeyOrder = 'data-model' | 'did-jwt';

export interface SampleCredential {
  readonly type: 'LawyerLicenceCredential' | 'EconomicCertificateCredential';
  readonly kind?: EconomicKind;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** The compact JWS `header.payload.signature`. */
  readonly jwt: string;
}

export interface SampleOptions {
  readonly alg?: SampleAlgorithm;
  readonly keyOrder?: PayloadKeyOrder;
}

/** Small seeded PRNG (mulberry32): reproducible test data without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const surnames = [
  '陳',
  '林',
  '黃',
  '張',
  '李',
  '王',
  '吳',
  '劉',
  '蔡',
  '楊',
  '許',
  '鄭',
  '謝',
  '洪',
  '郭',
  '邱',
  '曾',
  '廖',
  '賴',
  '徐',
  '周',
  '葉',
  '蘇',
  '莊',
  '呂',
  '江',
  '何',
  '蕭',
  '羅',
  '高',
  '潘',
  '簡',
  '朱',
  '鍾',
  '游',
  '彭',
  '詹',
  '胡',
  '施',
  '沈',
  '余',
  '盧',
  '梁',
  '趙',
  '顏',
  '柯',
  '翁',
  '魏',
  '孫',
  '戴',
  '歐陽',
  '司馬',
];
const surnamesEn: Record<string, string> = {
  陳: 'CHEN',
  林: 'LIN',
  黃: 'HUANG',
  張: 'CHANG',
  李: 'LEE',
  王: 'WANG',
  吳: 'WU',
  劉: 'LIU',
  蔡: 'TSAI',
  楊: 'YANG',
  許: 'HSU',
  鄭: 'CHENG',
  謝: 'HSIEH',
  洪: 'HUNG',
  郭: 'KUO',
  邱: 'CHIU',
  曾: 'TSENG',
  廖: 'LIAO',
  賴: 'LAI',
  徐: 'HSU',
  周: 'CHOU',
  葉: 'YEH',
  蘇: 'SU',
  莊: 'CHUANG',
  呂: 'LU',
  江: 'CHIANG',
  何: 'HO',
  蕭: 'HSIAO',
  羅: 'LO',
  高: 'KAO',
  潘: 'PAN',
  簡: 'CHIEN',
  朱: 'CHU',
  鍾: 'CHUNG',
  游: 'YU',
  彭: 'PENG',
  詹: 'CHAN',
  胡: 'HU',
  施: 'SHIH',
  沈: 'SHEN',
  余: 'YU',
  盧: 'LU',
  梁: 'LIANG',
  趙: 'CHAO',
  顏: 'YEN',
  柯: 'KO',
  翁: 'WENG',
  魏: 'WEI',
  孫: 'SUN',
  戴: 'TAI',
  歐陽: 'OUYANG',
  司馬: 'SZUMA',
};
const givenChars: ReadonlyArray<readonly [string, string]> = [
  ['志', 'Chih'],
  ['明', 'Ming'],
  ['俊', 'Chun'],
  ['傑', 'Chieh'],
  ['建', 'Chien'],
  ['宏', 'Hung'],
  ['文', 'Wen'],
  ['雅', 'Ya'],
  ['婷', 'Ting'],
  ['怡', 'Yi'],
  ['君', 'Chun'],
  ['淑', 'Shu'],
  ['芬', 'Fen'],
  ['美', 'Mei'],
  ['玲', 'Ling'],
  ['佩', 'Pei'],
  ['家', 'Chia'],
  ['豪', 'Hao'],
  ['宗', 'Tsung'],
  ['翰', 'Han'],
  ['承', 'Cheng'],
  ['恩', 'En'],
  ['冠', 'Kuan'],
  ['廷', 'Ting'],
  ['欣', 'Hsin'],
  ['妤', 'Yu'],
  ['詩', 'Shih'],
  ['涵', 'Han'],
  ['柏', 'Po'],
  ['宇', 'Yu'],
  ['哲', 'Che'],
  ['瑋', 'Wei'],
  ['嘉', 'Chia'],
  ['慧', 'Hui'],
  ['穎', 'Ying'],
  ['庭', 'Ting'],
  ['昱', 'Yu'],
  ['辰', 'Chen'],
  ['育', 'Yu'],
  ['誠', 'Cheng'],
];
const barAssociations = [
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
const cities: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['臺北市', ['中正區', '大安區', '信義區', '松山區', '中山區', '內湖區', '南港區', '士林區', '北投區', '萬華區']],
  ['新北市', ['板橋區', '新莊區', '中和區', '三重區', '新店區', '土城區', '汐止區', '林口區', '五股區', '樹林區']],
  ['桃園市', ['桃園區', '中壢區', '龜山區', '蘆竹區', '大園區', '平鎮區', '楊梅區', '觀音區']],
  ['臺中市', ['西屯區', '南屯區', '北屯區', '大雅區', '太平區', '大里區', '潭子區', '神岡區']],
  ['臺南市', ['永康區', '安南區', '東區', '善化區', '新市區', '仁德區']],
  ['高雄市', ['前鎮區', '苓雅區', '三民區', '鳳山區', '楠梓區', '路竹區', '岡山區', '仁武區']],
  ['新竹市', ['東區', '北區', '香山區']],
  ['新竹縣', ['竹北市', '湖口鄉', '新豐鄉', '竹東鎮']],
  ['彰化縣', ['彰化市', '鹿港鎮', '和美鎮', '員林市']],
  ['苗栗縣', ['竹南鎮', '頭份市', '苗栗市']],
  ['雲林縣', ['斗六市', '虎尾鎮', '麥寮鄉']],
  ['嘉義縣', ['民雄鄉', '太保市']],
  ['屏東縣', ['屏東市', '潮州鎮']],
  ['宜蘭縣', ['宜蘭市', '羅東鎮']],
  ['基隆市', ['仁愛區', '七堵區']],
];
const roads = [
  '中山路',
  '中正路',
  '民生路',
  '民權路',
  '民族路',
  '建國路',
  '復興路',
  '光復路',
  '忠孝東路',
  '仁愛路',
  '信義路',
  '和平東路',
  '經國路',
  '工業一路',
  '工業二路',
  '科學園路',
  '文化路',
  '成功路',
  '自強路',
  '中華路',
  '中興路',
  '環河路',
  '大同路',
  '公園路',
  '南京東路',
  '敦化北路',
  '林森路',
  '新生路',
  '博愛路',
  '永安路',
  '水源路',
  '五權路',
  '大業路',
  '環中路',
  '青年路',
  '福德路',
  '長春路',
  '港墘路',
  '瑞光路',
  '成功二路',
];
/** Characters common in Taiwanese company brand names; a brand is two (sometimes three) of them. */
const brandChars =
  '宏 達 聯 華 新 興 台 泰 隆 昌 大 東 榮 成 永 豐 富 益 鼎 偉 盛 鑫 億 冠 群 晶 凱 亞 光 勝 源 祥 德 正 信 協 全 嘉 佳 福 順 利 元 升 茂 裕 崇 鴻 銘 國 立 恆 精 誠 洋 鋒 友 和 康 景 揚 瑞 穩 捷 力 展 碩'.split(
    ' ',
  );
const companyTrades = [
  '精密工業',
  '電子',
  '科技',
  '實業',
  '機械',
  '食品',
  '化學工業',
  '紡織',
  '光電',
  '國際貿易',
  '生技',
  '塑膠工業',
  '金屬',
  '半導體',
  '自行車',
  '企業',
  '工業',
  '材料',
  '電機',
  '汽車零件',
  '五金',
  '鋼鐵',
  '製藥',
  '貿易',
  '資訊',
  '通訊',
  '能源',
  '橡膠',
  '包裝',
  '家具',
];
const companyForms = ['股份有限公司', '有限公司'];
/** 行業統計分類 manufacturing categories (official names). */
const industries = [
  '食品製造業',
  '飲料製造業',
  '紡織業',
  '成衣及服飾品製造業',
  '木竹製品製造業',
  '紙漿、紙及紙製品製造業',
  '印刷及資料儲存媒體複製業',
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
];
const lawFirmStems = [
  '理律',
  '眾達',
  '常在',
  '萬國',
  '寰瀛',
  '建業',
  '宏鑑',
  '普華',
  '翰笙',
  '博仲',
  '正平',
  '明理',
  '信義',
  '德和',
  '恆業',
];
/** Consignee names: a stem, a line of business, and the legal form usual in the destination country. */
const consigneeStems = [
  'Yamato',
  'Global',
  'Nordic',
  'Saigon',
  'Pacific',
  'Rhein',
  'Seoul',
  'Bangkok',
  'Osaka',
  'Sunrise',
  'Atlas',
  'Harbor',
  'Keystone',
  'Evergreen',
  'Meridian',
  'Orion',
  'Summit',
  'Golden Bridge',
  'Delta',
  'Pioneer',
  'Hanse',
  'Alpine',
  'Coastal',
  'Lotus',
  'Maple',
  'Crown',
  'Blue Ocean',
  'Kyushu',
  'Hanoi',
  'Mekong',
  'Bavaria',
  'Brabant',
  'Midwest',
  'Sterling',
  'Apex',
  'Nippon',
  'Tokai',
  'Han River',
  'Straits',
  'Southern Cross',
];
const consigneeTrades = [
  'Trading',
  'Industrial',
  'Electronics',
  'Components',
  'Supply',
  'Machinery',
  'Import & Export',
  'Distribution',
  'Cycle',
  'Foods',
  'Textiles',
  'Technologies',
  'Engineering',
  'Hardware',
  'Logistics',
  'International',
];
const legalForms: Readonly<Record<string, readonly string[]>> = {
  JP: ['Co., Ltd.', 'Corporation', 'K.K.'],
  US: ['Inc.', 'LLC', 'Corp.'],
  DE: ['GmbH', 'GmbH & Co. KG', 'AG'],
  NL: ['B.V.'],
  VN: ['JSC', 'Co., Ltd.'],
  SG: ['Pte. Ltd.'],
  KR: ['Co., Ltd.', 'Corp.'],
  AU: ['Pty Ltd'],
  GB: ['Ltd', 'Limited', 'PLC'],
  MY: ['Sdn. Bhd.'],
  TH: ['Co., Ltd.', 'Public Co., Ltd.'],
  IN: ['Pvt. Ltd.', 'Limited'],
  CN: ['Co., Ltd.'],
  HK: ['Limited', 'Co., Limited'],
  PH: ['Inc.', 'Corporation'],
  ID: ['PT'],
  FR: ['SAS', 'S.A.'],
  IT: ['S.p.A.', 'S.r.l.'],
  MX: ['S.A. de C.V.'],
  CA: ['Inc.', 'Ltd.'],
  AE: ['LLC', 'FZE'],
  TR: ['A.Ş.', 'Ltd. Şti.'],
  PL: ['Sp. z o.o.'],
  BR: ['Ltda.', 'S.A.'],
  ES: ['S.L.', 'S.A.'],
};
/** Typical Taiwanese exports: description as printed (English, sometimes with the Chinese name first) and an HS / CCC code. */
const goods: ReadonlyArray<readonly [string, string, string]> = [
  ['自行車零件', 'Bicycle parts', '87149100'],
  ['自行車', 'Bicycles', '871200'],
  ['鋁合金輪圈', 'Aluminium alloy bicycle rims', '87149290'],
  ['積體電路', 'Integrated circuits', '854231'],
  ['印刷電路板', 'Printed circuit boards', '85340000'],
  ['螺絲及螺帽', 'Screws and nuts of iron or steel', '7318150090'],
  ['不銹鋼螺栓', 'Stainless steel hex bolts', '73181590'],
  ['綜合加工機', 'Machining centres', '845710'],
  ['數值控制車床', 'CNC lathes', '845811'],
  ['烏龍茶', 'Oolong tea', '09023000'],
  ['聚酯纖維布', 'Polyester woven fabrics', '540752'],
  ['尼龍紗', 'Nylon filament yarn', '540233'],
  ['光學鏡片', 'Optical lenses', '90019000'],
  ['電源供應器', 'Power supplies', '8504409990'],
  ['筆記型電腦', 'Notebook computers', '847130'],
  ['網路交換器', 'Network switches', '85176200'],
  ['液晶顯示模組', 'LCD modules', '852412'],
  ['手工具', 'Hand tools (wrenches and spanners)', '820411'],
  ['汽車零件', 'Motor vehicle parts (brake pads)', '87083010'],
  ['塑膠射出成型機', 'Plastic injection moulding machines', '847710'],
  ['冷凍鮪魚', 'Frozen yellowfin tuna', '030342'],
  ['蘭花', 'Live orchids (Phalaenopsis)', '060290'],
  ['熱軋鋼捲', 'Hot-rolled steel coils', '720839'],
  ['聚丙烯', 'Polypropylene in primary forms', '390210'],
  ['太陽能電池', 'Photovoltaic cells', '854142'],
  ['醫療器材', 'Medical devices (blood glucose meters)', '902780'],
  ['機車', 'Motorcycles', '871120'],
  ['滾珠螺桿', 'Ball screws', '848340'],
  ['工具機零件', 'Parts of machine tools', '846693'],
  ['高爾夫球頭', 'Golf club heads', '950631'],
];
const destinations = Object.keys(legalForms);

function b64url(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64url');
}

/** True when `id` is a valid 統一編號 under the 2023 rule (weighted digit sum divisible by 5). */
export function isValidBusinessId(id: string): boolean {
  if (!/^\d{8}$/.test(id)) return false;
  const weights = [1, 2, 1, 2, 1, 2, 4, 1];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const p = Number(id[i]) * (weights[i] ?? 0);
    sum += Math.floor(p / 10) + (p % 10);
  }
  // When the seventh digit is 7 its product 28 may count as 10 or 1 (2+8 → 10 → 1).
  return sum % 5 === 0 || (id[6] === '7' && (sum + 1) % 5 === 0);
}

/** Creates a seeded generator of signed sample credentials. */
export function createSampleGenerator(seed = 1) {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');
  const uuid = (): string => {
    const h = Array.from({ length: 32 }, () => int(0, 15).toString(16));
    h[12] = '4';
    h[16] = (8 + int(0, 3)).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const day = (fromYear: number, toYear: number): string => {
    const d = new Date(Date.UTC(int(fromYear, toYear), int(0, 11), int(1, 28)));
    return d.toISOString().slice(0, 10);
  };
  const personName = (): { zh: string; en: string } => {
    const surname = pick(surnames);
    const a = pick(givenChars);
    const b = pick(givenChars);
    const single = rand() < 0.08;
    const zh = surname + a[0] + (single ? '' : b[0]);
    const en = `${surnamesEn[surname] ?? 'LIN'}, ${a[1]}${single ? '' : '-' + b[1].toLowerCase()}`;
    return { zh, en };
  };
  const address = (): string => {
    const [city, districts] = pick(cities);
    const lane = rand() < 0.3 ? `${int(1, 300)}巷` : '';
    const floor = rand() < 0.5 ? `${int(2, 25)}樓` : '';
    return `${city}${pick(districts)}${pick(roads)}${rand() < 0.3 ? `${int(1, 5)}段` : ''}${lane}${int(1, 400)}號${floor}`;
  };
  const businessId = (): string => {
    for (;;) {
      const id = digits(8);
      if (isValidBusinessId(id)) return id;
    }
  };
  const brand = (): string => Array.from({ length: rand() < 0.8 ? 2 : 3 }, () => pick(brandChars)).join('');
  const company = (): string => (rand() < 0.15 ? '台灣' : '') + brand() + pick(companyTrades) + pick(companyForms);
  const lawFirm = (): string =>
    rand() < 0.5
      ? `${pick(lawFirmStems)}${pick(['法律事務所', '聯合法律事務所', '國際法律事務所'])}`
      : `${personName().zh}律師事務所`;

  const keys = {
    ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    EdDSA: generateKeyPairSync('ed25519').privateKey,
  } satisfies Record<SampleAlgorithm, KeyObject>;

  const envelope = (
    issuerHost: string,
    type: SampleCredential['type'],
    subject: Record<string, unknown>,
    validFrom: string,
    validUntil: string | null,
    options: SampleOptions,
  ): { header: Record<string, unknown>; payload: Record<string, unknown>; jwt: string } => {
    const alg = options.alg ?? 'ES256';
    const issuer = `did:web:${issuerHost}`;
    const id = `urn:uuid:${uuid()}`;
    // `{base}/status/{issuer slug}/{purpose}`, the shape packages/issuer/src/status publishes lists under.
    const statusBase = `https://verify.${issuerHost}/status/${issuerHost}`;
    const status = (purpose: 'revocation' | 'suspension') => {
      const index = String(int(0, 131071));
      return {
        id: `${statusBase}/${purpose}#${index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: index,
        statusListCredential: `${statusBase}/${purpose}`,
      };
    };
    const nbf = Date.parse(validFrom) / 1000;
    const exp = validUntil === null ? undefined : Date.parse(validUntil) / 1000;
    const iat = nbf + int(0, 86400 * 3);
    const vc: Record<string, unknown> = {
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://credledger.org/ns/v1'],
      type: ['VerifiableCredential', type],
      id,
      issuer,
      validFrom,
      ...(validUntil === null ? {} : { validUntil }),
      credentialSubject: subject,
      credentialStatus: [status('revocation'), status('suspension')],
    };
    const payload: Record<string, unknown> =
      options.keyOrder === 'did-jwt'
        ? { iat, ...(exp === undefined ? {} : { exp }), ...vc, jti: id, nbf, iss: issuer }
        : { ...vc, iss: issuer, jti: id, iat, nbf, ...(exp === undefined ? {} : { exp }) };
    const header = { alg, typ: 'vc+jwt', kid: `${issuer}#key-${int(1, 3)}` };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature =
      alg === 'ES256'
        ? sign('sha256', Buffer.from(signingInput), { key: keys.ES256, dsaEncoding: 'ieee-p1363' })
        : sign(null, Buffer.from(signingInput), keys.EdDSA);
    return { header, payload, jwt: `${signingInput}.${b64url(signature)}` };
  };

  return {
    /** A random lawyer licence issued by did:web:moj.gov.tw. */
    lawyerLicence(options: SampleOptions = {}): SampleCredential {
      const name = personName();
      const admission = day(1985, 2026);
      const rocYear = Number(admission.slice(0, 4)) - 1911;
      const practising = rand() < 0.85;
      const memberships = new Set<string>();
      const count = rand() < 0.6 ? 1 : int(2, 4);
      while (memberships.size < count) memberships.add(pick(barAssociations));
      const subject: Record<string, unknown> = {
        name: name.zh,
        ...(rand() < 0.75 ? { nameEn: name.en } : {}),
        licenceNumber: `(${rocYear})${rand() < 0.8 ? '台' : '臺'}檢證字第${digits(int(4, 6))}號`,
        admissionDate: admission,
        practiceStatus: practising ? 'practising' : 'not-practising',
        ...(practising || rand() < 0.5 ? { barMemberships: [...memberships] } : {}),
        ...(practising && rand() < 0.7 ? { lawFirm: lawFirm() } : {}),
      };
      const validFrom = `${day(2026, 2026)}T00:00:00Z`;
      const validUntil = `${Number(validFrom.slice(0, 4)) + 10}${validFrom.slice(4)}`;
      return {
        type: 'LawyerLicenceCredential',
        ...envelope('moj.gov.tw', 'LawyerLicenceCredential', subject, validFrom, validUntil, options),
      };
    },

    /** A random economic e-certificate issued by did:web:moea.gov.tw, of the given or a random kind. */
    economicCertificate(kind?: EconomicKind, options: SampleOptions = {}): SampleCredential {
      const k: EconomicKind =
        kind ?? pick(['company-registration', 'factory-registration', 'certificate-of-origin'] as const);
      const issueDate = day(2026, 2026);
      const companyName = company();
      const common = { kind: k, certificateNumber: '', companyName, ubn: businessId(), issueDate };
      let subject: Record<string, unknown>;
      if (k === 'company-registration') {
        subject = {
          ...common,
          certificateNumber: `經商字第${issueDate.slice(0, 4)}${digits(7)}號`,
          representative: personName().zh,
          ...(rand() < 0.8 ? { capital: int(1, 5000) * 100000 } : {}),
          establishedDate: day(1960, 2025),
          address: address(),
        };
      } else if (k === 'factory-registration') {
        subject = {
          ...common,
          certificateNumber: `經工字第${issueDate.slice(0, 4)}${digits(6)}號`,
          factoryRegistrationNumber: `${pick(['63', '64', '65', '66', '67', '68'])}${digits(6)}`,
          factoryName: `${companyName.replace(/(股份)?有限公司$/, '')}${pick(['', '第二', '觀音', '大園', '湖口'])}廠`,
          factoryAddress: address(),
          ...(rand() < 0.8
            ? { industries: Array.from(new Set(Array.from({ length: int(1, 2) }, () => pick(industries)))) }
            : {}),
        };
      } else {
        const [goodsZh, goodsEn, hsCode] = pick(goods);
        const destinationCountry = pick(destinations);
        const consignee = `${pick(consigneeStems)} ${pick(consigneeTrades)} ${pick(legalForms[destinationCountry] ?? ['Ltd.'])}`;
        const description = rand() < 0.4 ? `${goodsZh} ${goodsEn}` : goodsEn;
        subject = {
          ...common,
          certificateNumber: `${pick(['TP', 'KH', 'TC'])}${issueDate.slice(2, 4)}${digits(6)}`,
          destinationCountry,
          consignee: destinationCountry === 'ID' ? `PT ${consignee.replace(/ PT$/, '')}` : consignee,
          goodsDescription: description,
          ...(rand() < 0.7 ? { hsCode } : {}),
          ...(rand() < 0.6
            ? { invoiceNumber: `${pick(['INV', 'EX', 'TW'])}-${issueDate.slice(0, 4)}${digits(5)}` }
            : {}),
        };
      }
      const validFrom = `${issueDate}T00:00:00Z`;
      const validUntil = `${Number(issueDate.slice(0, 4)) + 1}${issueDate.slice(4)}T00:00:00Z`;
      return {
        type: 'EconomicCertificateCredential',
        kind: k,
        ...envelope('moea.gov.tw', 'EconomicCertificateCredential', subject, validFrom, validUntil, options),
      };
    },
  };
}

/** SHA-256 hex of a string, for fixture bookkeeping. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
