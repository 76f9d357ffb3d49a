/**
 * The checks a credential's text gets beyond length and pattern, after Unicode's security guidance for
 * identifiers (UTS #39): nothing invisible, one byte sequence per text (NFC), no word mixing scripts
 * that look alike (Latin with Cyrillic or Greek), and for names one script, ordinary letters and the
 * separators names use. A credential is read by a person on a screen; these are the ways a text looks
 * like something it is not. Each finding says what is wrong in both languages.
 *
 * Browser-safe (no node:*): the verifier runs the same checks. Why these rules: docs/decisions/0011-text-rules-after-uts-39.md.
 * @see https://www.unicode.org/reports/tr39/ (mixed-script detection, restriction levels, confusables)
 */
import type { Label, NameScript, TextKind } from './types/definition.js';

/** Why a text was refused (a `SchemaProblem`). */
export type TextProblem =
  | 'control-character'
  | 'invisible-character'
  | 'private-use'
  | 'whitespace'
  | 'not-normalized'
  | 'leading-mark'
  | 'markup'
  | 'link'
  | 'mixed-script'
  | 'script-not-allowed'
  | 'fullwidth'
  | 'character-not-allowed'
  | 'separator';

export interface TextFinding {
  readonly problem: TextProblem;
  readonly reason: Label;
}

const label = (zh: string, en: string): Label => ({ 'zh-TW': zh, en });

/** The characters of a text as Unicode counts them (code points): UTS #39's checks work on these. */
export function codePoints(value: string): string[] {
  return Array.from(value);
}

/** `U+202E`. */
export function codePointOf(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

// Characters that do not show as themselves: controls, format characters (bidi overrides, zero-width
// joiners, the BOM), line/paragraph separators, default-ignorables (Hangul fillers, variation selectors,
// the combining grapheme joiner), private-use, unassigned and lone surrogate code points, and the
// Braille blank, which renders as a space.
const notShown = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Co}\p{Cn}\p{Cs}\u2800]/u;
// Spaces other than U+0020 look like it but are other text.
const oddSpace = /[\p{Zs}]/u;

/**
 * The value as a reader can check it: at most `max` characters, with every character that does not
 * show as itself (controls, bidi overrides, zero-width and other invisible characters, spaces other
 * than U+0020, a combining mark with nothing to sit on) written as ⟨U+XXXX⟩, and … when cut.
 */
export function visibleChars(value: string, max = 80): string {
  const chars = codePoints(value);
  const shown = chars.slice(0, max).map((char, index) => {
    const hidden = notShown.test(char) || (char !== ' ' && oddSpace.test(char)) || (index === 0 && /\p{M}/u.test(char));
    return hidden ? `⟨${codePointOf(char)}⟩` : char;
  });
  return `${shown.join('')}${chars.length > max ? '…' : ''}`;
}

/**
 * True when `value` holds a character that does not show as itself or rearranges the text around it
 * (`王‮明小‬` is 王, a right-to-left override and 明小: a screen shows 王小明).
 * @see https://www.unicode.org/reports/tr36/#Bidirectional_Text_Spoofing
 */
export function hasHiddenCharacter(value: string): boolean {
  return notShown.test(value);
}

/**
 * `value` whole, every character that does not show as itself written out as ⟨U+XXXX⟩, so a terminal or
 * a page shows what is really there: `王‮明小‬` becomes `王⟨U+202E⟩明小⟨U+202C⟩`, never 王小明.
 */
export function showHiddenCharacters(value: string): string {
  return visibleChars(value, Number.POSITIVE_INFINITY);
}

/** `visibleChars` in double quotes, as an error quotes a value. */
export function visibleText(value: string, max = 80): string {
  return `"${visibleChars(value, max)}"`;
}

/** What an invisible character is, for the sentence that refuses it. */
function invisibleName(char: string): Label {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x0a || code === 0x0d) return label('換行字元', 'a line break');
  if (code === 0x09) return label('定位字元（Tab）', 'a tab');
  if (code === 0xfeff) return label('位元組順序記號（BOM）', 'a byte-order mark (BOM)');
  if (code === 0x200b) return label('零寬空白', 'a zero-width space');
  if (code === 0x200c || code === 0x200d) return label('零寬連接控制字元', 'a zero-width joiner');
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f)
    return label('改變文字方向的雙向控制字元', 'a bidirectional control that reorders the text');
  if (code === 0x00ad) return label('軟連字號', 'a soft hyphen');
  if (code === 0x3164 || code === 0x115f || code === 0x1160 || code === 0xffa0)
    return label('顯示為空白的韓文填充字元', 'a Hangul filler, which shows as a blank');
  if (code === 0x2800) return label('顯示為空白的點字空格', 'a Braille blank, which shows as a space');
  if ((code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef))
    return label('異體字選擇符', 'a variation selector');
  if (/\p{Co}/u.test(char))
    return label(
      '私用區字元（各裝置顯示不同；罕用字請改用標準 Unicode 字）',
      'a private-use character (it shows differently on every device; use the standard Unicode character)',
    );
  if (/\p{Cn}|\p{Cs}/u.test(char)) return label('未指派的碼位', 'an unassigned code point');
  return label('不可見的控制或格式字元', 'an invisible control or format character');
}

function problemOfHidden(char: string): TextProblem {
  if (/[\p{Co}\p{Cn}\p{Cs}]/u.test(char)) return 'private-use';
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(char)) return 'control-character';
  return 'invisible-character';
}

/** Scripts told apart for mixed-script checks, in the order they are tried (common ones first). */
const scripts: readonly (readonly [string, Label, RegExp])[] = [
  ['Han', label('漢字', 'Han'), /\p{Script=Han}/u],
  ['Latin', label('拉丁字母', 'Latin'), /\p{Script=Latin}/u],
  ['Hangul', label('韓文', 'Hangul'), /\p{Script=Hangul}/u],
  ['Hiragana', label('平假名', 'Hiragana'), /\p{Script=Hiragana}/u],
  ['Katakana', label('片假名', 'Katakana'), /\p{Script=Katakana}/u],
  ['Bopomofo', label('注音符號', 'Bopomofo'), /\p{Script=Bopomofo}/u],
  ['Cyrillic', label('西里爾字母', 'Cyrillic'), /\p{Script=Cyrillic}/u],
  ['Greek', label('希臘字母', 'Greek'), /\p{Script=Greek}/u],
  ['Armenian', label('亞美尼亞字母', 'Armenian'), /\p{Script=Armenian}/u],
  ['Cherokee', label('切羅基字母', 'Cherokee'), /\p{Script=Cherokee}/u],
  ['Georgian', label('喬治亞字母', 'Georgian'), /\p{Script=Georgian}/u],
  ['Coptic', label('科普特字母', 'Coptic'), /\p{Script=Coptic}/u],
  ['Arabic', label('阿拉伯字母', 'Arabic'), /\p{Script=Arabic}/u],
  ['Hebrew', label('希伯來字母', 'Hebrew'), /\p{Script=Hebrew}/u],
  ['Thai', label('泰文', 'Thai'), /\p{Script=Thai}/u],
  ['Devanagari', label('天城文', 'Devanagari'), /\p{Script=Devanagari}/u],
];
const otherScript = label('其他文字', 'another script');

/** The script of a letter (Common and Inherited characters have none: they go with any script). */
function scriptOf(char: string): string | undefined {
  if (!/[\p{L}\p{Nl}]/u.test(char) || /[\p{Script=Common}\p{Script=Inherited}]/u.test(char)) return undefined;
  for (const [name, , regex] of scripts) if (regex.test(char)) return name;
  return 'other';
}

function scriptLabel(name: string): Label {
  return scripts.find(([n]) => n === name)?.[1] ?? otherScript;
}

// UTS #39 "highly restrictive": one script, or Latin with the scripts East Asian text mixes it with.
const highlyRestrictive: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function combines(used: ReadonlySet<string>, single: boolean): boolean {
  if (used.size <= 1) return true;
  return !single && highlyRestrictive.some((set) => [...used].every((s) => set.has(s)));
}

/**
 * The first letter whose script may not join those before it, as a finding naming both scripts and
 * the letter (so "Wаng" says that its а is Cyrillic).
 */
function mixedScript(chars: readonly string[], single: boolean): TextFinding | undefined {
  const used = new Set<string>();
  let first: string | undefined;
  for (const char of chars) {
    const script = scriptOf(char);
    if (script === undefined || used.has(script)) continue;
    used.add(script);
    first ??= script;
    if (!combines(used, single)) {
      const [a, b] = [scriptLabel(first), scriptLabel(script)];
      const at = `${char} (${codePointOf(char)})`;
      return {
        problem: 'mixed-script',
        reason: label(
          `混用${a['zh-TW']}與${b['zh-TW']}：${at} 是${b['zh-TW']}`,
          `mixes ${a.en} and ${b.en} letters: ${at} is ${b.en}`,
        ),
      };
    }
  }
  return undefined;
}

// A tag as an HTML parser starts one (`<img`, `</`, `<!`, `<?`), and links by scheme or by name.
const tagStart = /<[\p{L}/!?]/u;
const scheme = /(?:^|[^\p{L}\p{N}])(?:(?:javascript|vbscript|data|file)\s*:|[a-z][a-z0-9+.-]*:\/\/)/iu;
const www = /(?:^|[^\p{L}\p{N}])www\./iu;
// `example.com`, `a-b.co.uk`: labels of 2+ characters joined by dots, ending in letters.
const domain = /(?:^|[^\p{L}\p{N}.])[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.[a-z]{2,}(?![\p{L}\p{N}])/iu;

// Printable ASCII and unified ideographs, no space at either end, no `<` (markup) or `:` (a link's
// scheme): none hidden, none a mark, all NFC as they stand (a test proves it for every code point),
// every letter Latin or Han. Such text passes every check of `checkAnyText` but `www.`.
const plainText =
  /^[\x21-\x39\x3b\x3d-\x7e\p{Unified_Ideograph}](?:[\x20-\x39\x3b\x3d-\x7e\p{Unified_Ideograph}]*[\x21-\x39\x3b\x3d-\x7e\p{Unified_Ideograph}])?$/u;

const hanAndLatinOnly = /^[\p{Script=Han}\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]*$/u;

/** Checks every string gets, whatever its field; undefined when the text passes. */
export function checkAnyText(value: string): TextFinding | undefined {
  // Most cells are plain text that every check below passes: one test for them.
  if (plainText.test(value) && !www.test(value)) return undefined;
  // Whole-string tests first: a batch checks every cell of ten thousand rows, and nearly all pass.
  const hidden = notShown.exec(value)?.[0];
  if (hidden !== undefined) {
    const what = invisibleName(hidden);
    const at = `⟨${codePointOf(hidden)}⟩`;
    return {
      problem: problemOfHidden(hidden),
      reason: label(`含有 ${at}：${what['zh-TW']}`, `contains ${at}: ${what.en}`),
    };
  }
  if (value.trim() !== value) {
    return { problem: 'whitespace', reason: label('開頭或結尾有空白', 'starts or ends with white space') };
  }
  // One text, one byte sequence: the signature covers bytes, and a verifier compares what it shows.
  if (value.normalize('NFC') !== value) {
    return {
      problem: 'not-normalized',
      reason: label(
        '不是 Unicode NFC 正規形式（例如重音以獨立的組合符號輸入）',
        'is not in Unicode normal form NFC (an accent typed as a separate combining mark?)',
      ),
    };
  }
  const first = /^\p{M}/u.exec(value)?.[0];
  if (first !== undefined) {
    return {
      problem: 'leading-mark',
      reason: label(
        `以組合符號 ⟨${codePointOf(first)}⟩ 開頭，它沒有可附著的字`,
        `starts with a combining mark ⟨${codePointOf(first)}⟩ that has no letter to sit on`,
      ),
    };
  }
  if (tagStart.test(value)) {
    return { problem: 'markup', reason: label('含有 HTML 標記（<…）', 'contains HTML markup (<…)') };
  }
  if (scheme.test(value) || www.test(value)) {
    return { problem: 'link', reason: label('含有連結或網址', 'contains a link or web address') };
  }
  // Han and Latin (with common punctuation and marks) may share any word: nothing more to check.
  if (hanAndLatinOnly.test(value)) return undefined;
  // Per word, as UTS #39 checks an identifier: "台北 Taipei" is fine, "Wаng" is not.
  for (const word of value.split(/[^\p{L}\p{M}\p{N}]+/u)) {
    const finding = mixedScript(codePoints(word), false);
    if (finding) return finding;
  }
  return undefined;
}

// Fullwidth forms of ASCII letters and digits: Latin to a script check, yet other text than what they look like.
const fullwidth = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/u;
// Letters a name is written with. Han: unified ideographs (not the look-alike Kangxi radicals).
// Latin: upper/lower-case letters of Basic Latin, Latin-1, Extended-A/B and Extended Additional (Vietnamese),
// plus ʉ, which Taiwan's indigenous writing systems use; not small capitals, superscripts, ǀ-like clicks.
// Hangul: precomposed syllables. Kana: the letters and the prolonged sound mark.
const nameLetters: Readonly<Record<NameScript, RegExp>> = {
  Han: /\p{Unified_Ideograph}/u,
  Latin: /^(?=[\p{Lu}\p{Ll}\p{Lt}])[A-Za-z\u00C0-\u024F\u0289\u1E00-\u1EFF]$/u,
  Hangul: /[\uAC00-\uD7A3]/u,
  Hiragana: /[\u3041-\u3096\u309D\u309E\u30FC]/u,
  Katakana: /[\u30A1-\u30FA\u30FD\u30FE\u30FC\u31F0-\u31FF]/u,
};
// Separators between the parts of a personal name. Han names: the middle dots Big5-era systems such as
// household registration write (U+00B7 ·, U+2027 ‧, U+FF0E ．), never a space. Latin names: those dots too
// (indigenous names written in Latin letters use them), space, hyphen, apostrophes, period, comma.
const hanSeparators: ReadonlySet<string> = new Set(['·', '‧', '．']);
const latinSeparators: ReadonlySet<string> = new Set([' ', '-', "'", '’', 'ʼ', '.', ',', '·', '‧', '．']);
const hangulSeparators: ReadonlySet<string> = new Set([' ']);
// What an organisation name may contain besides letters and ASCII digits.
const organisationPunctuation: ReadonlySet<string> = new Set([
  ' ',
  '(',
  ')',
  '（',
  '）',
  '&',
  '＆',
  ',',
  '，',
  '、',
  '.',
  '-',
  "'",
  '’',
  '·',
  '‧',
  '．',
  '・',
]);

// Fast paths, each a subset of what the character-by-character checks accept.
const plainHanName = /^\p{Unified_Ideograph}+(?:[·‧．]\p{Unified_Ideograph}+)*$/u;
const plainLatinName = /^[A-Za-z]+(?:(?:[-'’.,·‧． ]|\. |, )[A-Za-z]+)*\.?$/u;
const plainOrganisationName =
  /^(?=.*[\p{Unified_Ideograph}A-Za-z])[\p{Unified_Ideograph}A-Za-z0-9 ()（）&＆,，、.\-'’·‧．・]+$/u;

const scriptNames = (allowed: readonly NameScript[], lang: keyof Label): string =>
  allowed.map((s) => scriptLabel(s)[lang]).join(lang === 'en' ? ' or ' : '或');

function notAllowed(char: string, what: Label): TextFinding {
  // A mark or an odd space inside quotes would sit on the quote or vanish: show those by number only.
  const shown = /[\p{M}\p{Z}]/u.test(char) ? `⟨${codePointOf(char)}⟩` : `"${char}" (${codePointOf(char)})`;
  return {
    problem: 'character-not-allowed',
    reason: label(`含有${what['zh-TW']}不用的字元 ${shown}`, `contains ${shown}, which ${what.en} does not use`),
  };
}

function letterScript(char: string, allowed: readonly NameScript[]): NameScript | undefined {
  return allowed.find((s) => nameLetters[s].test(char));
}

/**
 * Checks for a text kind (after `checkAnyText`); undefined when the text passes.
 * @param allowed the scripts the field allows (default Han and Latin)
 */
export function checkTextKind(
  value: string,
  kind: TextKind,
  allowed: readonly NameScript[] = ['Han', 'Latin'],
): TextFinding | undefined {
  // The usual names pass one whole-string test; the checks below then find what is wrong with the rest.
  if (kind === 'personal-name' && allowed.includes('Han') && plainHanName.test(value)) return undefined;
  if (kind === 'personal-name' && allowed.includes('Latin') && plainLatinName.test(value)) return undefined;
  if (
    kind === 'organisation-name' &&
    allowed.includes('Han') &&
    allowed.includes('Latin') &&
    plainOrganisationName.test(value) &&
    !domain.test(value)
  )
    return undefined;
  const chars = codePoints(value);
  const what = kind === 'personal-name' ? label('姓名', 'a name') : label('機構名稱', 'an organisation name');
  const wide = chars.find((char) => fullwidth.test(char));
  if (wide !== undefined) {
    return {
      problem: 'fullwidth',
      reason: label(
        `使用全形英數字 "${wide}"（${codePointOf(wide)}）；請改用一般（半形）字母與數字`,
        `uses fullwidth letters or digits "${wide}" (${codePointOf(wide)}); type them as ordinary (half-width) ones`,
      ),
    };
  }
  if (kind === 'organisation-name' && (domain.test(value) || value.includes(':') || value.includes('/'))) {
    return { problem: 'link', reason: label('看起來像連結或網址', 'looks like a link or web address') };
  }
  const single = kind === 'personal-name';
  const mixed = mixedScript(chars, single);
  if (mixed) return mixed;
  // Letters of a script the field does not allow ("Иван" where Han or Latin is asked for).
  const used = chars.map(scriptOf).find((script) => script !== undefined && !allowed.includes(script as NameScript));
  if (used !== undefined) {
    const s = scriptLabel(used);
    return {
      problem: 'script-not-allowed',
      reason: label(
        `以${s['zh-TW']}書寫；此欄只接受${scriptNames(allowed, 'zh-TW')}`,
        `is written in ${s.en} letters; this field takes ${scriptNames(allowed, 'en')} only`,
      ),
    };
  }
  return kind === 'personal-name' ? personalName(chars, allowed, what) : organisationName(chars, allowed, what);
}

function personalName(chars: readonly string[], allowed: readonly NameScript[], what: Label): TextFinding | undefined {
  const script = chars.map((char) => letterScript(char, allowed)).find((s) => s !== undefined);
  const separators = script === 'Han' ? hanSeparators : script === 'Hangul' ? hangulSeparators : latinSeparators;
  let previous: 'letter' | 'mark' | 'separator' | undefined;
  for (const [index, char] of chars.entries()) {
    if (letterScript(char, allowed) !== undefined) {
      previous = 'letter';
      continue;
    }
    if (/\p{M}/u.test(char) && script === 'Latin' && previous !== 'separator') {
      previous = 'mark';
      continue;
    }
    if (separators.has(char)) {
      // A name starts with a letter and ends with one (or with the period of "Jr.").
      if (previous === undefined || (index === chars.length - 1 && char !== '.')) return separatorFinding(char, 'ends');
      const afterPunctuation = char === ' ' && (chars[index - 1] === '.' || chars[index - 1] === ',');
      if (previous === 'separator' && !afterPunctuation) return separatorFinding(char, 'twice');
      previous = 'separator';
      continue;
    }
    if (char === ' ' && script === 'Han') {
      return {
        problem: 'separator',
        reason: label(
          '漢字姓名含有空白（戶籍登記的姓名不含空白）',
          'is a Han name with a space (names in household registration have none)',
        ),
      };
    }
    return notAllowed(char, what);
  }
  return undefined;
}

function separatorFinding(char: string, where: 'ends' | 'twice'): TextFinding {
  return {
    problem: 'separator',
    reason:
      where === 'ends'
        ? label(`以分隔符號 "${char}" 開頭或結尾`, `starts or ends with the separator "${char}"`)
        : label(`分隔符號 "${char}" 前面緊接另一個分隔符號`, `has the separator "${char}" right after another`),
  };
}

function organisationName(
  chars: readonly string[],
  allowed: readonly NameScript[],
  what: Label,
): TextFinding | undefined {
  let previous: 'letter' | 'other' | undefined;
  for (const char of chars) {
    if (letterScript(char, allowed) !== undefined || /[0-9]/.test(char)) {
      previous = 'letter';
      continue;
    }
    if (/\p{M}/u.test(char) && previous === 'letter') continue;
    if (organisationPunctuation.has(char)) {
      previous = 'other';
      continue;
    }
    return notAllowed(char, what);
  }
  if (!chars.some((char) => letterScript(char, allowed) !== undefined)) {
    return {
      problem: 'character-not-allowed',
      reason: label('沒有任何文字', 'has no letters'),
    };
  }
  return undefined;
}
