import { z } from 'zod';

/** HubSpot portal ids are positive integers that fit a JS number (see server/db/pool.ts). */
export const PortalId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The payload of jobs that act on one whole portal. `strict` so a typo'd field is an error, not ignored. */
export const PortalPayload = z.strictObject({ portalId: PortalId });

export type PortalPayload = z.infer<typeof PortalPayload>;
