/** Tracking credential status: the `watch()` stream, webhook subscriptions and Server-Sent Events. */
export { watch, statusChangesOf, parseCursor, cursorOf, statusChangedEventName } from './watch.js';
export type { StatusChangeEvent, WatchFilter, WatchOptions } from './watch.js';
export { createTrackingService } from './tracking-service.js';
export type { TrackingService, TrackingServiceOptions } from './tracking-service.js';
export type { DeliveryOptions, WebhookBody } from './delivery.js';
export { openSubscriptionStore, proveHolding } from './subscriptions.js';
export type {
  CreatedSubscription,
  DeadLetter,
  OutboxEntry,
  SubscriptionLimits,
  SubscriptionRecord,
  SubscriptionRequest,
  SubscriptionState,
  SubscriptionStore,
  SubscriptionView,
} from './subscriptions.js';
export {
  verifyWebhookSignature,
  signWebhook,
  webhookSigningKey,
  loadOrCreateWebhookSigningKey,
  checkWebhookUrl,
  signatureHeader,
  webhookKeysPath,
} from './webhooks.js';
export type {
  VerifyWebhookSignatureInput,
  WebhookPublicJwk,
  WebhookSignatureCheck,
  WebhookSignatureProblem,
  WebhookSigningKey,
  WebhookUrlPolicy,
} from './webhooks.js';
