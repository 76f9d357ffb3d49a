/** A display text in both languages credledger speaks: Traditional Chinese (zh-TW) and English. */
export interface Label {
  readonly 'zh-TW': string;
  readonly en: string;
}
