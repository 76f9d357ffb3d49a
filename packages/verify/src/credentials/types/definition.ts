/**
 * The shape of a credential type as data: a name, display labels and the fields of its
 * `credentialSubject`. Adding a credential type means adding one of these objects (it is plain JSON),
 * never a new code path. Browser-safe: the verifier page reads the labels.
 */

import type { Label } from '@credledger/vocabulary';

/** A display text in both languages the verifier shows (the vocabulary's `Label`). */
export type { Label };

/** Makes a field apply only when another (enum) field of the subject has one of the listed values. */
export interface FieldCondition {
  readonly field: string;
  readonly in: readonly string[];
}

/**
 * What a text is, for the checks beyond its pattern (see `text-rules.ts`, after Unicode's UTS #39):
 * - `personal-name`: one script only (one of `scripts`), letters and the separators names use, no digits;
 * - `organisation-name`: letters of `scripts` (Latin may be mixed with Han, Kana or Hangul, as UTS #39's
 *   "highly restrictive" level allows), digits, spaces and the punctuation organisation names use.
 * A string without a kind is free text: it still gets the checks every string gets (no invisible or
 * control characters, NFC, no markup or links, no word mixing look-alike scripts).
 */
export type TextKind = 'personal-name' | 'organisation-name';

/** Scripts a name may be written in. */
export type NameScript = 'Han' | 'Latin' | 'Hangul' | 'Hiragana' | 'Katakana';

/**
 * A string. `pattern` is a regular-expression source matched against the whole value with the `u` flag;
 * lengths count characters (code points), as a reader does.
 */
export interface StringSpec {
  readonly type: 'string';
  readonly maxLength: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly text?: TextKind;
  /** Scripts a `text` kind allows; default Han and Latin. */
  readonly scripts?: readonly NameScript[];
  /**
   * The rule in words, in both languages (what `pattern` and `text` accept): `credledger types`, every
   * error about the field and the CSV template say it, so it must say what the checks check.
   */
  readonly rule?: Label;
}

/** A calendar date written `YYYY-MM-DD`. */
export interface DateSpec {
  readonly type: 'date';
}

/** A Taiwan business administration number (統一編號): 8 digits with the Ministry of Finance checksum. */
export interface UbnSpec {
  readonly type: 'ubn';
}

/** A whole number (JSON number without fraction). */
export interface IntegerSpec {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

export interface EnumValue {
  readonly value: string;
  readonly label: Label;
  /** What a verdict calls a credential with this value (overrides the type's `noun` when the type names this field). */
  readonly noun?: Label;
}

/** One of a fixed list of string codes, each with labels. */
export interface EnumSpec {
  readonly type: 'enum';
  readonly values: readonly EnumValue[];
}

/** What a list may hold: any scalar spec. */
export type ItemSpec = StringSpec | DateSpec | UbnSpec | IntegerSpec | EnumSpec;

/** A JSON array of scalar items. */
export interface ListSpec {
  readonly type: 'list';
  readonly items: ItemSpec;
  readonly maxItems: number;
  readonly minItems?: number;
  /** Rejects repeated items. */
  readonly unique?: boolean;
}

export type FieldSpec = ItemSpec | ListSpec;
export type FieldType = FieldSpec['type'];

/** One property of `credentialSubject`, in the order it is written into the credential and displayed. */
export type FieldDefinition = FieldSpec & {
  readonly name: string;
  readonly label: Label;
  readonly required: boolean;
  /** Present only when the condition holds; a value given while it does not hold is rejected. */
  readonly when?: FieldCondition;
  /** A value that passes the field's rule: shown by `credledger types` and written into the CSV template. */
  readonly example?: string | number | readonly (string | number)[];
};

/** One rewrite of an identifier value: every match of `pattern` (a regular-expression source, flags `gu`) becomes `replacement`. */
export interface IdentifierRewrite {
  readonly pattern: string;
  readonly replacement: string;
}

/**
 * What identifies the subject of a credential, so that an issuer holds at most one ACTIVE credential
 * of a type per subject (a lawyer's licence number, a company's 統一編號). The listed fields' values,
 * in order, are the identifier; the ledger only ever sees a digest of it (`subjectDigestOf`).
 */
export interface SubjectIdentifierRule {
  /** Required fields of the subject (for subjects this rule applies to) whose values identify it. */
  readonly fields: readonly string[];
  /** The rule applies only when this holds; the first rule that applies is used. */
  readonly when?: FieldCondition;
  /**
   * Rewrites applied to each value first, so that spellings of one identifier meet (臺 and 台, a
   * zero-padded serial and a bare one).
   */
  readonly canonical?: readonly IdentifierRewrite[];
}

export interface CredentialTypeDefinition {
  /** The VC `type` entry after `VerifiableCredential`, also the ledger's credential type. */
  readonly name: string;
  /** Title of the document (e.g. 律師證書 / Lawyer Licence). */
  readonly title: Label;
  /** What a verdict sentence calls it: "this is a genuine 律師證書 / lawyer licence". */
  readonly noun: Label;
  /** An enum field whose value's `noun` replaces the type's noun (e.g. the kind of certificate). */
  readonly nounField?: string;
  /** Default `validUntil` = `validFrom` + this many years; `null` issues without an expiry. */
  readonly defaultValidityYears: number | null;
  readonly fields: readonly FieldDefinition[];
  /**
   * How the subject is identified for the one-ACTIVE-credential rule; the first rule that applies
   * wins. Empty: credentials of this type are never refused as duplicates.
   */
  readonly subjectIdentifier: readonly SubjectIdentifierRule[];
}
