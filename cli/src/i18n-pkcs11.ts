/**
 * The sentences of issuer keys in a PKCS#11 token, in both languages: a hint per token error code (the
 * `satisfies` fails the build until a new code has one). Merged into the CLI's message table (i18n.ts).
 */
import type { Pkcs11ErrorCode } from '@credledger/pkcs11';

type Entry = { readonly 'zh-TW': string; readonly en: string };

export const pkcs11Messages = {
  'hint.PKCS11_MODULE_UNAVAILABLE': {
    'zh-TW':
      '檢查 --pkcs11 模組路徑（HSM 廠商的 PKCS#11 程式庫，如 /usr/lib/softhsm/libsofthsm2.so），以及 `pkcs11js` 已安裝並編譯（`npm rebuild pkcs11js`）',
    en: 'check the --pkcs11 module path (the HSM vendor’s PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so) and that pkcs11js is installed and built (npm rebuild pkcs11js)',
  },
  'hint.PKCS11_TOKEN_NOT_FOUND': {
    'zh-TW': '檢查權杖標籤（`softhsm2-util --show-slots` 或 HSM 廠商工具）與權杖是否已連接',
    en: 'check the token label (softhsm2-util --show-slots, or the HSM vendor’s tool) and that the token is connected',
  },
  'hint.PKCS11_PIN_REQUIRED': {
    'zh-TW': '設定 CREDLEDGER_PKCS11_PIN，或在終端機上執行以輸入 PIN',
    en: 'set CREDLEDGER_PKCS11_PIN, or run on a terminal to be asked for the PIN',
  },
  'hint.PKCS11_PIN_INCORRECT': {
    'zh-TW': '檢查 CREDLEDGER_PKCS11_PIN；權杖在數次錯誤後會鎖住 PIN',
    en: 'check CREDLEDGER_PKCS11_PIN; a token locks its PIN after a few wrong attempts',
  },
  'hint.PKCS11_PIN_LOCKED': {
    'zh-TW': 'PIN 已鎖住：須由權杖的安全管理者重設使用者 PIN',
    en: 'the PIN is locked: the token’s security officer must reset the user PIN',
  },
  'hint.PKCS11_KEY_NOT_FOUND': {
    'zh-TW': '檢查 --key-label；或以 `credledger issuer add-key … --generate` 在權杖中產生新金鑰',
    en: 'check the key label; or make a new key in the token with `credledger issuer add-key … --generate`',
  },
  'hint.PKCS11_KEY_EXISTS': {
    'zh-TW': '去掉 --generate 以使用既有金鑰，或換一個 --key-label',
    en: 'drop --generate to use the existing key, or choose another --key-label',
  },
  'hint.PKCS11_KEY_UNSUITABLE': {
    'zh-TW': '請用權杖中不可匯出的 ES256（P-256）簽章金鑰，或以 --generate 產生一把',
    en: 'use a non-extractable ES256 (P-256) signing key of the token, or make one with --generate',
  },
  'hint.PKCS11_DEVICE_ERROR': {
    'zh-TW': '檢查權杖是否仍連接；以同一指令重跑，issue-batch 會從中斷處續作',
    en: 'check that the token is still connected; rerun the same command: issue-batch resumes where it stopped',
  },
} satisfies Record<`hint.${Pkcs11ErrorCode}`, Entry>;
