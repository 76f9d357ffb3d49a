/**
 * `@credledger/server`: what `credledger serve` runs — the verifier page, the read-only status API and
 * issuers' DID documents over any ledger, and status tracking (the `watch()` stream, Server-Sent Events,
 * signed webhooks). Node only; it reads the ledger through `@credledger/ledger`'s `Registry` and never
 * writes to it.
 *
 * @example
 * import { openLedger } from '@credledger/ledger';
 * import { startServer } from '@credledger/server';
 * const network = await openLedger({ backend: 'embedded', directory: 'ws/ledger', create: false });
 * const server = await startServer({ ledger: network.connect('MojMSP/auditor'), port: 8080 });
 */

// The HTTP server: page, API, DID documents.
export { startServer, API_PREFIX, PAGE_CSP } from './http/start-server.js';
export type { RunningServer, ServerOptions, ServerRegistry, WalletEndpoint } from './http/start-server.js';
export { selfSignedCertificate, type SelfSignedCertificate } from './http/self-signed.js';
export { TokenBucketLimiter } from './http/rate-limit.js';
export type { RateLimitOptions, RateDecision } from './http/rate-limit.js';
export { didWebLocation } from './http/did-documents.js';
export { errorStatus } from './http/http-error.js';
export type { ApiErrorCode, HttpErrorCode } from './http/http-error.js';

// DID documents from the registry, and a resolver that asks the registry first.
export { issuerDidDocument, didWebUrl, type CredledgerVerificationMethod } from './did/did-document.js';
export {
  createIssuerResolver,
  ledgerDidResolver,
  type DidSource,
  type IssuerDidDocumentMetadata,
  type IssuerResolverOptions,
  type LedgerDidResolverOptions,
} from './did/resolver.js';

// Tracking credential status.
export { watch, statusChangesOf, parseCursor, cursorOf, statusChangedEventName } from './watch/watch.js';
export type { Cursor, StatusChangeEvent, WatchFilter, WatchOptions } from './watch/watch.js';
export { createTrackingService } from './watch/tracking-service.js';
export type { TrackingService, TrackingServiceOptions } from './watch/tracking-service.js';
export type { DeliveryOptions, WebhookBody } from './watch/delivery.js';
export { openSubscriptionStore, proveHolding } from './watch/subscriptions.js';
export type {
  ChangeJson,
  CreatedSubscription,
  DeadLetter,
  OutboxEntry,
  SubscriptionLimits,
  SubscriptionRecord,
  SubscriptionRequest,
  SubscriptionState,
  SubscriptionStore,
  SubscriptionView,
} from './watch/subscriptions.js';
export {
  verifyWebhookSignature,
  signWebhook,
  webhookSigningKey,
  loadOrCreateWebhookSigningKey,
  checkWebhookUrl,
  signatureHeader,
  webhookKeysPath,
} from './watch/webhooks.js';
export type {
  VerifyWebhookSignatureInput,
  WebhookPublicJwk,
  WebhookSignatureCheck,
  WebhookSignatureProblem,
  WebhookSigningKey,
  WebhookUrlPolicy,
} from './watch/webhooks.js';
