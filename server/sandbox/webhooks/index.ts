export { createWebhookDeliverer } from './deliverer.ts';
export type {
  DeliveryAttempt,
  DelivererCounters,
  RetryPolicy,
  WebhookDeliverer,
  WebhookDelivererOptions,
} from './deliverer.ts';
export { eventsFor, resolveSubscriptions, OBJECT_NAME, OBJECT_TYPE_ID } from './events.ts';
export type {
  EventContext,
  ResolvedSubscription,
  WebhookAction,
  WebhookEvent,
  WebhookObjectName,
  WebhookSubscription,
} from './events.ts';
export { signV1, signV3, signedUri, webhookHeaders } from './signature.ts';
export type { SignatureHeaders } from './signature.ts';
