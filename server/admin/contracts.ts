import { z } from 'zod';

/**
 * The bodies the admin page's endpoints take (server/admin/README.md). Unknown fields are refused, so
 * a typo is a 400 naming it rather than a silent no-op.
 */
const HubSpotId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** What the settings component sends for an entry link: the ids HubSpot gave it in its context. */
export const AdminLinkRequest = z.strictObject({
  portalId: HubSpotId,
  userId: HubSpotId,
  userEmail: z.string().min(3).max(254).optional(),
});
export type AdminLinkRequest = z.output<typeof AdminLinkRequest>;

export const DefinitionsDraft = z.strictObject({
  text: z.string().max(500_000),
  format: z.enum(['json', 'yaml']),
});
export type DefinitionsDraft = z.output<typeof DefinitionsDraft>;

export const DefinitionsSave = z.strictObject({
  ...DefinitionsDraft.shape,
  reason: z.string().trim().min(1, 'why the change was made is required').max(500),
  /** The version the diff was shown against: a save over someone else's newer version is refused. */
  baseVersion: z.number().int().positive(),
});
export type DefinitionsSave = z.output<typeof DefinitionsSave>;

export const NewApiKey = z.strictObject({ label: z.string().trim().min(1, 'a label is required').max(100) });

export const NewAdmin = z.strictObject({
  userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  email: z.preprocess((v) => (v === '' ? undefined : v), z.email().max(320).optional()),
});

export const ApiKeyId = z.string().regex(/^[a-f0-9]{16}$/, 'is not an API key id');
