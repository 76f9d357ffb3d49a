/**
 * The DIF Presentation Exchange request a credledger verifier sends a TW DIW wallet (OpenID4VP before
 * 1.0), and the strict check that a response's `presentation_submission` answers it. A definition asks
 * for one TW DIW SD-JWT (`vc+sd-jwt`, ES256, with a key-binding JWT) of one credledger type, by its
 * `type`, and for exactly the subject claims named, each at `$.credentialSubject.<claim>` (decision 0019:
 * the TW DIW profile keeps them in `credentialSubject`).
 *
 * This is not a Presentation Exchange engine: `@openid4vc/openid4vp` 0.4.6 parses the
 * `presentation_submission` as any JSON object and leaves its evaluation to the verifier, and credledger
 * asks for exactly one shape. The submission must map that one descriptor to the `vp_token` itself;
 * anything else — another descriptor, another format, a presentation wrapped in a VP (`path_nested`) —
 * does not answer the definition. Whether the credential meets the descriptor's fields (type, each
 * claim disclosed) is decided on the verified credential, as for DCQL (outcome.ts), never on what the
 * wallet claims. Decision 0036.
 * @see https://identity.foundation/presentation-exchange/spec/v2.0.0/
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0-20.html (PE with direct_post)
 */
import { checkRequestedClaims } from './requested-claims.js';
import { isRecord } from '../routes.js';

/** The credential format TW DIW names an SD-JWT by, and the signature algorithms credledger uses for it. */
export const TW_DIW_SD_JWT_FORMAT = 'vc+sd-jwt';
const twDiwAlgorithms = { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] } as const;

/** A field constraint: one JSONPath, and for the type a JSON Schema filter. */
export interface FieldConstraint {
  readonly path: readonly [string];
  readonly filter?: { readonly type: 'array'; readonly contains: { readonly const: string } };
}

/** The one input descriptor of a credledger definition; its id is the credential type's name. */
export interface InputDescriptor {
  readonly id: string;
  readonly format: { readonly [TW_DIW_SD_JWT_FORMAT]: typeof twDiwAlgorithms };
  readonly constraints: {
    /** The wallet must disclose only the fields listed. */
    readonly limit_disclosure: 'required';
    readonly fields: readonly FieldConstraint[];
  };
}

/** A Presentation Definition (`presentation_definition`) of one credential. */
export interface PresentationDefinition {
  readonly id: string;
  readonly input_descriptors: readonly [InputDescriptor];
}

/** The `vp_formats` of the request's client metadata (the pre-1.0 name of `vp_formats_supported`). */
export const twDiwVpFormats = { [TW_DIW_SD_JWT_FORMAT]: twDiwAlgorithms } as const;

/**
 * The definition for `claims` of a credential of `credentialType`: the type as a filter on `$.type`,
 * then one field per claim, in the order asked.
 * @param id the definition's id (unique per request; a response names it as `definition_id`)
 * @throws CredledgerError UNKNOWN_CREDENTIAL_TYPE; INVALID_INPUT when no claim, one twice, or one the type lacks
 */
export function presentationDefinitionFor(
  credentialType: string,
  claims: readonly string[],
  id: string,
): PresentationDefinition {
  const type = checkRequestedClaims(credentialType, claims);
  return {
    id,
    input_descriptors: [
      {
        id: type,
        format: twDiwVpFormats,
        constraints: {
          limit_disclosure: 'required',
          fields: [
            { path: ['$.type'], filter: { type: 'array', contains: { const: type } } },
            ...claims.map((claim) => ({ path: [`$.credentialSubject.${claim}`] as const })),
          ],
        },
      },
    ],
  };
}

/**
 * The one presentation a response submits for the definition. The `presentation_submission` must name
 * the definition, have an id, and map exactly one entry: the definition's descriptor, format
 * `vc+sd-jwt`, at `$` when the `vp_token` is the presentation itself or `$[0]` when it is an array of
 * one, with no `path_nested`. The presentation must be a string.
 * @param submission the `presentation_submission` as the protocol library parsed it
 * @param vpToken the `vp_token` as posted: a form field holds the presentation itself or a JSON array
 * @returns the presentation, or undefined when the response does not answer the definition this way
 */
export function submittedPresentation(
  definition: PresentationDefinition,
  submission: unknown,
  vpToken: unknown,
): string | undefined {
  if (!isRecord(submission) || typeof submission.id !== 'string' || submission.id === '') return undefined;
  if (submission.definition_id !== definition.id) return undefined;
  const map = submission.descriptor_map;
  if (!Array.isArray(map) || map.length !== 1) return undefined;
  const [entry] = map as unknown[];
  const [descriptor] = definition.input_descriptors;
  if (!isRecord(entry) || entry.id !== descriptor.id || entry.format !== TW_DIW_SD_JWT_FORMAT || 'path_nested' in entry)
    return undefined;
  const token = jsonOrText(vpToken);
  if (typeof token === 'string') return entry.path === '$' ? token : undefined;
  if (Array.isArray(token) && token.length === 1 && typeof token[0] === 'string' && entry.path === '$[0]')
    return token[0];
  return undefined;
}

/** A form field's JSON value (an array), or the text itself when it is not JSON (an SD-JWT). */
function jsonOrText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
