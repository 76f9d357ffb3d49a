/**
 * `--valid-from`, `--valid-until` and `--allow-expired` of `issue` and `issue-batch`: the validity the
 * issuer signs, checked before the ledger is opened, so a credential that would be expired when issued
 * is refused at once unless the operator says it is meant (a record of a licence that has ended).
 */
import type { ValidityOptions } from '@credledger/issuer';

import { CliError, cliError } from './context.js';
import type { I18n } from './i18n.js';

export interface ValidityFlags {
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly allowExpired?: boolean;
}

/**
 * Parses the flags into the sdk's validity options and checks them against the type and the clock.
 * Fails: INVALID_INPUT (not a date), SCHEMA_INVALID (`expired-at-issuance`, with the flag as its hint).
 */
export async function validityFromFlags(typeName: string, flags: ValidityFlags, t: I18n): Promise<ValidityOptions> {
  const [{ getCredentialType, isCredledgerError, quoteInput }, { resolveValidity }] = await Promise.all([
    import('@credledger/verify'),
    import('@credledger/issuer'),
  ]);
  const date = (value: string | undefined, flag: string): Date | undefined => {
    if (value === undefined) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw cliError('INVALID_INPUT', 'notADate', { flag, value: quoteInput(value) });
    return parsed;
  };
  const validFrom = date(flags.validFrom, '--valid-from');
  const validUntil = date(flags.validUntil, '--valid-until');
  const options: ValidityOptions = {
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
    ...(flags.allowExpired === true ? { allowExpired: true } : {}),
  };
  try {
    resolveValidity(getCredentialType(typeName), options, new Date());
  } catch (error) {
    if (isCredledgerError(error, 'SCHEMA_INVALID') && error.details.problem === 'expired-at-issuance') {
      throw new CliError(
        'SCHEMA_INVALID',
        error.message,
        t.pick(
          '若確實要核發已過期的憑證（例如已終止證照的紀錄），加上 --allow-expired',
          'to issue an expired credential on purpose (a record of a licence that has ended), add --allow-expired',
        ),
        error.details,
      );
    }
    throw error;
  }
  return options;
}
