import { createHmac } from 'node:crypto';

/**
 * The keys of the admin page, each derived for one use from ADMIN_SECRET (or, unset, from the client
 * secret): a key that signs entry links never signs OAuth state or anything HubSpot signs with the
 * client secret itself, so no signature of one kind can be passed off as another.
 */
export type AdminKeys = {
  /** HMAC-SHA256 key of the signed entry links. */
  link: Buffer;
  /** Secret of the login flow's OAuth state (apart from the install flow's). */
  loginState: string;
};

export function adminKeys(env: { ADMIN_SECRET?: string | undefined; HUBSPOT_CLIENT_SECRET: string }): AdminKeys {
  const root = env.ADMIN_SECRET ?? env.HUBSPOT_CLIENT_SECRET;
  const derive = (label: string) => createHmac('sha256', root).update(`closed-loop admin: ${label}`).digest();
  return { link: derive('entry link v1'), loginState: derive('login state v1').toString('base64url') };
}
