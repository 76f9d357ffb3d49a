/**
 * Each field's rule in words, in both languages, made from the type definition itself: the string
 * rules the definition states (`rule`), the rest (dates, 統一編號, numbers, allowed values, list
 * separators, lengths, when a field applies) from its spec. `credledger types`, every schema error and
 * the CSV template say these words, so what an operator reads is what the validator checks.
 *
 * Browser-safe (no node:*).
 */
import type { FieldDefinition, ItemSpec, Label } from './types/definition.js';

const label = (zh: string, en: string): Label => ({ 'zh-TW': zh, en });

const join = (parts: readonly Label[], zh: string, en: string): Label =>
  label(parts.map((p) => p['zh-TW']).join(zh), parts.map((p) => p.en).join(en));

/** The format of one value (a field's or one list item's), with its length. */
export function itemRule(spec: ItemSpec): Label {
  switch (spec.type) {
    case 'string': {
      const rule = spec.rule ?? label('文字', 'text');
      const min = spec.minLength ?? 1;
      const length =
        min > 1
          ? label(`${min} 至 ${spec.maxLength} 字`, `${min} to ${spec.maxLength} characters`)
          : label(`最多 ${spec.maxLength} 字`, `at most ${spec.maxLength} characters`);
      return join([rule, length], '；', '; ');
    }
    case 'date':
      return label('西元日期 YYYY-MM-DD（1900 年以後）', 'a calendar date YYYY-MM-DD (1900 or later)');
    case 'ubn':
      return label('8 位數字，須通過統一編號檢查碼', '8 digits passing the official 統一編號 checksum');
    case 'integer': {
      const { min, max } = spec;
      const bounded = max !== undefined && max < Number.MAX_SAFE_INTEGER;
      if (min !== undefined && bounded) return label(`${min} 至 ${max} 的整數`, `a whole number from ${min} to ${max}`);
      if (min !== undefined) return label(`不小於 ${min} 的整數`, `a whole number, ${min} or more`);
      if (bounded) return label(`不大於 ${max} 的整數`, `a whole number, ${max} or less`);
      return label('整數', 'a whole number');
    }
    case 'enum':
      return label(
        `下列之一：${spec.values.map((v) => `${v.value}（${v.label['zh-TW']}）`).join('、')}`,
        `one of: ${spec.values.map((v) => `${v.value} (${v.label.en})`).join(', ')}`,
      );
  }
}

/** The format of a field's value: its item rule, or for a list how many items, separated how. */
export function formatRule(field: FieldDefinition): Label {
  if (field.type !== 'list') return itemRule(field);
  const min = field.minItems ?? 0;
  const item = itemRule(field.items);
  const count = label(
    `以 ; 分隔的 ${min} 至 ${field.maxItems} 項${field.unique ? '，不可重複' : ''}`,
    `${min} to ${field.maxItems} items separated by ;${field.unique ? ', no repeats' : ''}`,
  );
  return label(`${count['zh-TW']}；每項：${item['zh-TW']}`, `${count.en}; each: ${item.en}`);
}

/** Whether a field must be given: required, optional, and when it applies. */
export function presenceRule(field: FieldDefinition): Label {
  if (field.when === undefined) return field.required ? label('必填', 'required') : label('選填', 'optional');
  const values = field.when.in.join(' / ');
  return field.required
    ? label(
        `${field.when.field} 為 ${values} 時必填，其他情形留空`,
        `required when ${field.when.field} is ${values}, otherwise left empty`,
      )
    : label(
        `${field.when.field} 為 ${values} 時選填，其他情形留空`,
        `optional when ${field.when.field} is ${values}, otherwise left empty`,
      );
}

/**
 * A field's whole rule: format, length and presence, e.g. "a calendar date YYYY-MM-DD (1900 or later);
 * required when kind is company-registration, otherwise left empty".
 */
export function fieldRule(field: FieldDefinition): Label {
  return join([formatRule(field), presenceRule(field)], '；', '; ');
}
