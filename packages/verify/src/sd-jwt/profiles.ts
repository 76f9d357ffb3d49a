/**
 * The two SD-JWT VC profiles credledger issues and verifies, and how a credential type is named in each.
 * See docs/decisions/0019-sd-jwt-vc.md and docs/wallet.md.
 */

/** `tw-diw`: Taiwan's digital wallet (數位憑證皮夾); `ietf`: RFC 9901 SD-JWT VC (EU wallets). */
export type SdJwtProfile = 'tw-diw' | 'ietf';
export const sdJwtProfiles: readonly SdJwtProfile[] = ['tw-diw', 'ietf'];

/** The header `typ` of each profile's issuer-signed JWT. */
export const sdJwtTyp = { 'tw-diw': 'vc+sd-jwt', ietf: 'dc+sd-jwt' } as const satisfies Record<SdJwtProfile, string>;

/** The profile a header `typ` names, if any. */
export function profileOfTyp(typ: unknown): SdJwtProfile | undefined {
  if (typ === sdJwtTyp['tw-diw']) return 'tw-diw';
  if (typ === sdJwtTyp.ietf) return 'ietf';
  return undefined;
}

/** Where the IETF profile's `vct` (verifiable credential type) of each credledger type lives. */
export const VCT_BASE = 'https://credledger.org/vct/';

/** The `vct` of a credential type: `https://credledger.org/vct/LawyerLicenceCredential`. */
export function vctOf(typeName: string): string {
  return `${VCT_BASE}${typeName}`;
}

/** The credential type a `vct` names, or undefined when it is not a credledger `vct`. */
export function typeOfVct(vct: string): string | undefined {
  if (!vct.startsWith(VCT_BASE)) return undefined;
  const name = vct.slice(VCT_BASE.length);
  return /^[A-Za-z][A-Za-z0-9]{0,99}$/.test(name) ? name : undefined;
}
