import { ASSOCIATION_PAIRS, SYNC_ORDER } from '../sync/mirror-types.ts';

/**
 * The checkpoint streams of a full sync, in the order `runFullSync` works through them: objects,
 * archived objects, associations, owners, pipelines, events. Progress counts them; a stream a newer sync writes that is
 * missing here still shows (sync-status.ts adds the run's other `full:` checkpoints), and
 * tests/integration/observability/sync-status.test.ts fails until it is listed.
 */
export function fullSyncStreams(): string[] {
  return [
    ...SYNC_ORDER.map((type) => `full:${type}`),
    ...SYNC_ORDER.map((type) => `full:archived:${type}`),
    ...ASSOCIATION_PAIRS.map(([a, b]) => `full:associations:${a}-${b}`),
    'full:owners',
    'full:pipelines:deals',
    'full:pipelines:tickets',
    'full:events:contacts',
  ];
}
