import { object, string, type Decoded } from '../decode.ts';

/**
 * `POST /admin/link` (server/admin/README.md, "Signed entry link from the settings component"): a
 * single-use link into the admin page, valid for 5 minutes, issued only to an admin of an installed
 * portal. Refusals carry `code` `not_found` (not installed) or `forbidden` (not an admin).
 */
export const ADMIN_LINK_PATH = '/admin/link';

export const adminLink = object({ url: string, expiresAt: string });
export type AdminLink = Decoded<typeof adminLink>;
