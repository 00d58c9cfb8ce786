/**
 * The queues jobs travel on. A queue is the unit of isolation: each gets its own workers and its own
 * concurrency, so one kind of work can't starve another.
 *
 * - `sync-full`: first syncs of a portal's whole CRM; hours long, kept apart so a wave of installs
 *   can't hold up the incremental syncs of every other portal.
 * - `sync-incremental`: the regular catch-up of what changed since the last checkpoint; short.
 * - `webhooks`: draining the webhook inbox; short and latency-sensitive.
 * - `hygiene`: evaluating a portal's records against its definitions, and attribution; minutes for
 *   large portals.
 * - `writeback`: writing computed values back to HubSpot; paced by the portal's HubSpot budget.
 * - `maintenance`: housekeeping such as deleting portals whose grace period ran out; rare.
 *
 * BullMQ forbids `:` in queue names (it separates the parts of its Redis keys).
 */
export const QUEUE_NAMES = [
  'sync-full',
  'sync-incremental',
  'webhooks',
  'hygiene',
  'writeback',
  'maintenance',
] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];
