import type pg from 'pg';
import { findDecisionBySource, insertDecision } from '../db/repositories/decisions.ts';
import { findPortal } from '../db/repositories/portals.ts';
import { latestDefinitions } from '../db/repositories/definitions.ts';
import { dateAfter, quarterOf, type Decision } from '../domain/metrics/index.ts';

/** How long the team has for the quarterly review. */
export const REVIEW_DUE_DAYS = 14;

export const REVIEW_TOPIC = 'Review the definitions';

/**
 * The quarterly reminder to review a portal's definitions, as an action in the decision log owned by
 * the user who installed the app (the admin the portals table knows), due in two weeks. Once per
 * quarter: the action carries the quarter as its source, so a second run finds it and adds nothing.
 */
export async function remindDefinitionsReview(
  db: pg.Pool,
  portalId: number,
  now: Date,
): Promise<{ decision: Decision; created: boolean }> {
  const sourceKey = `definitions-review:${quarterOf(now)}`;
  const existing = await findDecisionBySource(db, portalId, sourceKey);
  if (existing) return { decision: existing, created: false };
  const portal = await findPortal(db, portalId);
  if (!portal) throw new Error(`portal ${portalId} is not installed`);
  const version = (await latestDefinitions(db, portalId))?.version;
  const created = await insertDecision(
    db,
    portalId,
    {
      topic: REVIEW_TOPIC,
      subject: { kind: 'definitions', key: version === undefined ? 'definitions' : `definitions:v${version}` },
      owner: ownerOf(portal),
      dueOn: dateAfter(now, REVIEW_DUE_DAYS),
      status: 'open',
      outcome: null,
      sourceKey,
    },
    now,
  );
  if (created) return { decision: created, created: true };
  // Another run added it meanwhile.
  const stored = await findDecisionBySource(db, portalId, sourceKey);
  if (!stored) throw new Error(`the ${sourceKey} reminder of portal ${portalId} vanished`);
  return { decision: stored, created: false };
}

/** The installing user's email, else their HubSpot user id; the portal's admins when neither is known. */
function ownerOf(portal: { installedByEmail: string | null; installedByUserId: number | null }): string {
  if (portal.installedByEmail) return portal.installedByEmail;
  if (portal.installedByUserId !== null) return `hubspot-user:${portal.installedByUserId}`;
  return 'portal admins';
}
