/**
 * Rules in words that several fields share, as data. Each says what the checks of its text kind
 * (`text-rules.ts`) accept, so a change to one is a change to both.
 */
import type { Label } from './definition.js';

/** `text: 'personal-name'` with scripts Han and Latin. */
export const personalNameRule: Label = {
  'zh-TW':
    "單一文字書寫的姓名：漢字（各部分可用 · ‧ ． 連接，不含空白）或拉丁字母（可含空白 - ' , .）；不得含數字、符號、全形字母或他種文字的形似字母",
  en: "a personal name in one script: Han characters (parts joined by · ‧ ．, no spaces) or Latin letters (with space - ' , .); no digits, symbols, fullwidth letters or look-alike letters of another script",
};

/** `text: 'organisation-name'` with scripts Han and Latin. */
export const organisationNameRule: Label = {
  'zh-TW':
    "機構名稱：漢字及（或）拉丁字母、數字、空白與 ( ) （ ） & ， , 、 . - ' ’ · ‧ ． ・；不得含 < >、連結或網址，不得用全形英數字或混用形似字母",
  en: "an organisation name: Han characters and/or Latin letters, digits, spaces and ( ) （ ） & ， , 、 . - ' ’ · ‧ ． ・; no < >, links or web addresses, no fullwidth letters or digits, no look-alike letters of another script",
};

/** A string without a text kind. */
export const freeTextRule: Label = {
  'zh-TW': '照登記所載的文字；不得含控制或不可見字元、HTML 標記、連結，或同一詞中混用形似字母',
  en: 'the text as registered; no control or invisible characters, HTML markup, links, or look-alike letters of another script within a word',
};
