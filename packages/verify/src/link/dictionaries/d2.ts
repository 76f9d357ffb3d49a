/**
 * Preset deflate dictionary #2 (format id 0x04). PART OF THE WIRE FORMAT: never edit this file in
 * place. Every credential encoded with it must stay decodable for its whole validity, so a better
 * dictionary is a new file with a new format id. Its SHA-256 (of the UTF-8 bytes) is published in
 * ./README and checked by packages/issuer/test/qr-dictionaries.test.ts.
 *
 * Format 0x04 deflates only the free texts of a credential (../schema-template.ts): the issuer, the
 * status base URL and the subject's text values, joined by U+0000, with every run of three or more
 * digits replaced by U+0001. So this dictionary holds no JSON, only the vocabulary such texts are
 * made of, by the shape of packages/verify/src/credentials/types: certificate and licence number patterns,
 * company name words and legal forms (Taiwanese and foreign), addresses (administrative divisions,
 * common road names), export goods wording (HS headings, English and Chinese), law firm forms and
 * the romanisation of common names. No personal data. Deflate codes a nearer match more cheaply, so
 * the most common text comes last.
 */
export const dictionary2Text: string = [
  // Export goods wording (HS headings), English.
  'Parts and accessories of motor vehicles, tractors; Frozen fish fillets; Green tea; Black tea; Rice; Fruit juices; ',
  'Live plants, cut flowers (orchids); Mineral fuels, lubricating oils; Organic chemicals; Pharmaceutical products; ',
  'Fertilisers; Paints and varnishes; Cosmetics; Soap; Polyethylene, polypropylene, polystyrene, PVC in primary forms; ',
  'Articles of plastics; Tyres; Rubber; Leather; Paper and paperboard; Cotton; Man-made filaments; Synthetic staple fibres; ',
  'Knitted fabrics; Garments; Footwear; Glass; Ceramic tiles; Flat-rolled products of iron or non-alloy steel, hot-rolled, cold-rolled, in coils; ',
  'Copper; Nickel; Aluminium alloy; Tools, implements, cutlery; Hand tools (spanners and wrenches, pliers, screwdrivers); ',
  'Nuclear reactors, boilers, machinery and mechanical appliances; Pumps; Valves; Bearings; Gears; Transmission shafts; ',
  'Machine tools, lathes, milling machines, machining centres, CNC; Injection moulding machines; Textile machinery; ',
  'Automatic data processing machines, notebook computers, servers, monitors, keyboards; Network switches, routers; ',
  'Electric motors and generators; Transformers, static converters, power supplies, chargers; Lithium-ion batteries; ',
  'Electrical machinery and equipment; Printed circuit boards; Integrated circuits, processors, memories; Semiconductor devices, ',
  'light-emitting diodes (LED), photovoltaic cells, solar modules; Insulated wire, cables; Connectors; LCD modules, displays; ',
  'Optical, photographic, measuring, medical instruments and apparatus, lenses, medical devices; Furniture; Toys; Sports equipment, golf clubs; ',
  'Vehicles; Motorcycles, scooters; Bicycles, electric bicycles, frames, rims, wheels; Ships, yachts; Aircraft parts; ',
  'Screws, bolts, nuts, washers, rivets, fasteners of iron or steel, stainless steel; Springs; ',
  // The same, Chinese.
  '汽車零件機車零件自行車零組件電動自行車車架輪圈醫療器材光學鏡片儀器太陽能電池模組發光二極體液晶顯示器面板',
  '積體電路半導體印刷電路板電源供應器變壓器電線電纜連接器筆記型電腦伺服器網路交換器主機板',
  '工具機數值控制車床綜合加工機射出成型機紡織機械滾珠螺桿軸承齒輪閥泵浦手工具扳手',
  '螺絲螺帽螺栓墊圈扣件不銹鋼鋼鐵熱軋冷軋鋼捲鋁合金銅塑膠原料聚乙烯聚丙烯橡膠輪胎紙類布料聚酯纖維尼龍紗棉',
  '冷凍魚蘭花烏龍茶綠茶紅茶食品飲料化學品藥品化妝品家具玩具運動器材高爾夫球頭遊艇',
  // Foreign company names: lines of business and legal forms.
  ' Import & Export International Trading Industrial Industries Manufacturing Electronics Electric Components Supply ',
  'Machinery Engineering Technologies Technology Systems Solutions Products Distribution Logistics Hardware Materials ',
  'Metals Chemicals Textiles Foods Cycle Motors Precision Holdings Group Enterprises Corporation Company Limited ',
  ' S.A. de C.V. S.p.A. S.r.l. SAS S.A. S.L. Sp. z o.o. Ltda. A.Ş. Ltd. Şti. FZE Pvt. Ltd. Sdn. Bhd. Pty Ltd PLC ',
  ' GmbH & Co. KG AG GmbH B.V. N.V. K.K. JSC Pte. Ltd. Public Co., Ltd. Corp. LLC Inc. Ltd Co., Limited Co., Ltd. PT ',
  // Addresses.
  '連江縣金門縣澎湖縣臺東縣花蓮縣宜蘭縣屏東縣嘉義縣嘉義市雲林縣南投縣彰化縣臺中市苗栗縣新竹縣新竹市基隆市',
  '鄉鎮市區村里鄰工業區科學園區加工出口區產業園區',
  '信義路仁愛路忠孝東路南京東路敦化北路民生東路和平東路羅斯福路林森路新生路博愛路長春路港墘路瑞光路水源路',
  '中山路中正路中華路中興路民生路民權路民族路建國路復興路光復路成功路自強路文化路大同路公園路經國路環河路五權路大業路環中路青年路福德路永安路',
  '工業一路工業二路工業三路科學園路',
  '北投區萬華區南港區內湖區士林區松山區中山區大安區信義區中正區五股區樹林區汐止區林口區新店區土城區三重區中和區新莊區板橋區',
  '楊梅區觀音區大園區龜山區蘆竹區平鎮區中壢區桃園區潭子區神岡區大雅區太平區大里區北屯區南屯區西屯區',
  '新市區仁德區安南區善化區永康區仁武區岡山區路竹區楠梓區鳳山區三民區苓雅區前鎮區東區北區西區南區香山區',
  '臺北市新北市桃園市臺南市高雄市段巷弄號樓之',
  // Taiwanese company names.
  '台灣國際企業社商行工業實業科技電子光電生技製藥材料電機五金鋼鐵金屬機械精密工業化學工業塑膠工業半導體',
  '食品紡織能源通訊資訊橡膠包裝家具汽車零件自行車貿易國際貿易第一廠第二廠分廠廠',
  '有限公司股份有限公司\u0000',
  // Names: the commonest surnames, their romanisation and common given-name syllables.
  '陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴',
  'Chih Ming Chun Chieh Chien Hung Wen Ya Ting Yi Shu Fen Mei Ling Pei Chia Hao Tsung Han Cheng En Kuan Hsin Yu Shih Po Che Wei Hui Ying Hsiang Hsuan Jui Kai Tzu Ju An',
  ', -chih -ming -chun -chieh -chien -hung -wen -ya -ting -yi -shu -fen -mei -ling -pei -chia -hao -tsung -han -cheng -en -kuan -hsin -yu -shih -po -che -wei -hui -ying -chen',
  'CHEN, LIN, HUANG, CHANG, LEE, WANG, WU, LIU, TSAI, YANG, HSU, CHENG, HSIEH, HUNG, KUO, CHIU, TSENG, LIAO, LAI, CHOU, YEH, SU, ',
  // Lawyer licences: law firms and licence numbers.
  '聯合法律事務所國際法律事務所律師事務所法律事務所\u0000',
  '\u0000(\u0001)臺檢證字第\u0001號\u0000(\u0001)台檢證字第\u0001號\u0000',
  // Economic e-certificates: certificate and invoice numbers.
  '\u0000INV-\u0001',
  '\u0000經工字第\u0001號\u0000\u0001\u0000\u0000經商字第\u0001號\u0000',
  // Issuer and status base URL: every text stream starts with one of these.
  'did:web:moj.gov.tw\u0000https://verify.moj.gov.tw\u0000',
  'did:web:moea.gov.tw\u0000https://verify.moea.gov.tw\u0000',
].join('');
