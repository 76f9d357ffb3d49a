/**
 * `@credledger/oid4vc`: credledger for wallets. An OpenID4VCI credential issuer — offers with a
 * pre-authorized code and a transaction code, one offer one credential, the holder's key bound by
 * proof of possession — and an OpenID4VP verifier, on the OpenWallet Foundation's `@openid4vc`
 * libraries (decision 0035). Framework-free: each endpoint is a function from a request to an answer,
 * which `@credledger/server` mounts; the credential itself is signed and anchored by a function the
 * caller gives (`@credledger/issuer`), so this package loads no ledger or key code.
 */
export { didKeyOf, didPublicKey, HOLDER_ALGORITHMS } from './callbacks.js';
export { oauthError, NO_STORE, WALLET_BODY_LIMIT } from './routes.js';
export type { WalletAnswer, WalletRequest, WalletRoute, WalletService } from './routes.js';
export {
  createWalletIssuer,
  credentialOfferLink,
  credentialIssuerUrl,
  WALLET_PATHS,
  type IssueForHolder,
  type WalletIssuer,
  type WalletIssuerEvent,
  type WalletIssuerOptions,
} from './issuance/wallet-issuer.js';
export {
  openOfferStore,
  OfferRefused,
  type CreatedOffer,
  type OfferContent,
  type OfferRecord,
  type OfferRefusal,
  type OfferState,
  type OfferSweep,
  type OfferStore,
  type WalletProfile,
} from './issuance/offer-store.js';
export { configurationId, credentialConfigurations } from './issuance/configurations.js';
// The OpenID4VP verifier (docs/wallet.md, "Presenting to a verifier").
export {
  createPresentationVerifier,
  PRESENTATION_REQUESTS_PATH,
  PRESENTATION_RESPONSE_PATH,
  REQUEST_OBJECTS_PATH,
  type CreatedPresentationRequest,
  type PresentationCheck,
  type PresentationRequestInput,
  type PresentationRequestStatus,
  type PresentationVerifier,
  type PresentationVerifierOptions,
} from './presentation/presentation-verifier.js';
export { dcqlQueryFor, type CredentialQuery, type DcqlQuery } from './presentation/dcql-query.js';
export {
  presentationDefinitionFor,
  TW_DIW_SD_JWT_FORMAT,
  type FieldConstraint,
  type InputDescriptor,
  type PresentationDefinition,
} from './presentation/presentation-definition.js';
export {
  type AnswerFailure,
  type PresentationOutcome,
  type PresentationReason,
  type PresentationVerdict,
} from './presentation/outcome.js';
export { RequestRefused, type RequestProgress, type RequestRefusal } from './presentation/request-book.js';
export { type RequestSigningKey } from './presentation/request-signing.js';
export {
  createReferenceWallet,
  type ReferenceWalletOptions,
  type PresentedCredential,
  type ReceivedCredential,
  type ReferenceWallet,
} from './holder/reference-wallet.js';
