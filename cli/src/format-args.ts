/**
 * `--format vc+jwt|sd-jwt`, `--profile tw-diw|ietf` and `--holder-key <jwk file>` of `issue` and
 * `issue-batch`: which format a credential is issued in (docs/wallet.md).
 */
import { Option, type Command } from 'commander';
import type { SdJwtOptions } from '@credledger/issuer';

import { cliError } from './cli-error.js';
import type { I18n } from './i18n.js';

export const credentialFormats = ['vc+jwt', 'sd-jwt'] as const;
export const sdJwtProfileChoices = ['tw-diw', 'ietf'] as const;

export interface FormatFlags {
  readonly format: (typeof credentialFormats)[number];
  readonly profile?: (typeof sdJwtProfileChoices)[number];
  readonly holderKey?: string;
}

/** `--profile tw-diw|ietf`: the SD-JWT profile (also `offer`'s, where it is mandatory). */
export function profileOption(t: I18n): Option {
  return new Option(
    '--profile <profile>',
    t.pick(
      '`SD-JWT` 規格：「tw-diw」（數位憑證皮夾）或「ietf」（RFC 9901，歐盟皮夾）',
      'SD-JWT profile: tw-diw (Taiwan digital wallet) or ietf (RFC 9901, EU wallets)',
    ),
  ).choices([...sdJwtProfileChoices]);
}

/** Adds the three options to a command. */
export function addFormatOptions(command: Command, t: I18n): Command {
  return command
    .addOption(
      new Option(
        '--format <format>',
        t.pick(
          '憑證格式：「vc+jwt」（QR、PDF）或「sd-jwt」（數位皮夾）',
          'credential format: vc+jwt (QR, PDF) or sd-jwt (wallets)',
        ),
      )
        .choices([...credentialFormats])
        .default('vc+jwt'),
    )
    .addOption(profileOption(t))
    .option(
      '--holder-key <file>',
      t.pick(
        '持有者公鑰（JWK 檔），綁定於憑證（`cnf`）',
        "the holder's public key (JWK file), bound into the credential (cnf)",
      ),
    );
}

/**
 * The SD-JWT options the flags ask for; undefined for a `vc+jwt`.
 * Fails: INVALID_INPUT (sd-jwt without a profile, a profile or holder key without sd-jwt, a holder key file that is no JWK).
 */
export async function sdJwtFromFlags(flags: FormatFlags): Promise<SdJwtOptions | undefined> {
  if (flags.format !== 'sd-jwt') {
    if (flags.profile !== undefined || flags.holderKey !== undefined)
      throw cliError('INVALID_INPUT', 'profileNeedsSdJwt', {});
    return undefined;
  }
  if (flags.profile === undefined) throw cliError('INVALID_INPUT', 'sdJwtNeedsProfile', {});
  if (flags.holderKey === undefined) return { profile: flags.profile };
  // Loaded here, not at the top: the commands' wiring (and so `--help`) imports this module.
  const { readFile } = await import('node:fs/promises');
  let jwk: unknown;
  try {
    jwk = JSON.parse(await readFile(flags.holderKey, 'utf8'));
  } catch {
    throw cliError('INVALID_INPUT', 'holderKeyFile', { file: flags.holderKey });
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw cliError('INVALID_INPUT', 'holderKeyFile', { file: flags.holderKey });
  return { profile: flags.profile, holderKey: jwk };
}
