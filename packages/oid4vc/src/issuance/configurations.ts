/**
 * The credentials a wallet can ask for: every credledger credential type in each SD-JWT profile, as
 * OpenID4VCI credential configurations. IETF/EU wallets (OpenID4VCI 1.0, HAIP) ask for `dc+sd-jwt` by
 * `vct`; Taiwan's digital wallet (draft 13) asks for `jwt_vc_json` by `credential_definition.type`.
 */
import { credentialTypes, vctOf, type CredentialTypeDefinition } from '@credledger/verify';

import type { WalletProfile } from './offer-store.js';

/** The configuration id of a type in a profile: `LawyerLicenceCredential.ietf`, `….tw-diw`. */
export function configurationId(type: string, profile: WalletProfile): string {
  return `${type}.${profile}`;
}

/** The type and profile a configuration id names, or undefined. */
export function parseConfigurationId(id: string): { type: string; profile: WalletProfile } | undefined {
  const dot = id.lastIndexOf('.');
  const type = id.slice(0, dot);
  const profile = id.slice(dot + 1);
  if (dot < 1 || (profile !== 'ietf' && profile !== 'tw-diw')) return undefined;
  return Object.hasOwn(credentialTypes, type) ? { type, profile } : undefined;
}

const proofTypes = { jwt: { proof_signing_alg_values_supported: ['ES256'] } };

/** `credential_configurations_supported` for every type, both profiles, signed with `alg`. */
export function credentialConfigurations(alg: string): Record<string, Record<string, unknown>> {
  const configurations: Record<string, Record<string, unknown>> = {};
  for (const type of Object.values(credentialTypes)) {
    const display = displayOf(type);
    configurations[configurationId(type.name, 'ietf')] = {
      format: 'dc+sd-jwt',
      vct: vctOf(type.name),
      cryptographic_binding_methods_supported: ['jwk'],
      credential_signing_alg_values_supported: [alg],
      proof_types_supported: proofTypes,
      display,
    };
    configurations[configurationId(type.name, 'tw-diw')] = {
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential', type.name] },
      cryptographic_binding_methods_supported: ['jwk', 'did:key'],
      // TW DIW credentials are ES256 only (decision 0019).
      credential_signing_alg_values_supported: ['ES256'],
      proof_types_supported: proofTypes,
      display,
    };
  }
  return configurations;
}

function displayOf(type: CredentialTypeDefinition): { name: string; locale: string }[] {
  return [
    { name: type.title['zh-TW'], locale: 'zh-TW' },
    { name: type.title.en, locale: 'en' },
  ];
}
