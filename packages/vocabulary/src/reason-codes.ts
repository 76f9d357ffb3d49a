import type { Label } from './label.js';

/**
 * Why a credential's status changed (docs/data-model.md). Which reason fits which transition:
 * `reasonsFor` in transitions.ts.
 */
export const reasonCodes = [
  'DISCIPLINARY_SUSPENSION',
  'DISBARMENT',
  'SURRENDERED',
  'DECEASED',
  'ISSUED_IN_ERROR',
  'KEY_COMPROMISE',
  'SUPERSEDED',
  'COURT_ORDER',
  'SUSPENSION_LIFTED',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

/** Each reason code in words, as the CLI and the verifier page show it beside the code. */
export const reasonLabels: { readonly [Code in ReasonCode]: Label } = {
  DISCIPLINARY_SUSPENSION: { 'zh-TW': '停止執行職務', en: 'disciplinary suspension' },
  DISBARMENT: { 'zh-TW': '除名', en: 'disbarment' },
  SURRENDERED: { 'zh-TW': '自願繳銷', en: 'surrendered by the holder' },
  DECEASED: { 'zh-TW': '死亡', en: 'holder deceased' },
  ISSUED_IN_ERROR: { 'zh-TW': '誤發', en: 'issued in error' },
  KEY_COMPROMISE: { 'zh-TW': '金鑰遭破解', en: 'key compromise' },
  SUPERSEDED: { 'zh-TW': '已換發', en: 'superseded by a newer credential' },
  COURT_ORDER: { 'zh-TW': '法院裁定', en: 'court order' },
  SUSPENSION_LIFTED: { 'zh-TW': '停止執行職務期滿', en: 'suspension lifted' },
};

/** True when `value` is one of `reasonCodes` (for untrusted JSON). */
export function isReasonCode(value: unknown): value is ReasonCode {
  return (reasonCodes as readonly unknown[]).includes(value);
}
