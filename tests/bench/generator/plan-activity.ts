import { emailVariant } from './field-values.ts';
import type { EventPlan, TouchPlan } from './plan.ts';
import { DAY, HOUR } from './plan.ts';
import { MAX_EVENTS_PER_CONTACT } from './plan-context.ts';
import type { Rng } from './random.ts';
import {
  INGEST_CAMPAIGNS,
  INGEST_CHANNELS,
  INGEST_OFFERS,
  PAGE_URLS,
  UTM_CAMPAIGNS,
  UTM_CONTENTS,
  UTM_MEDIUMS,
  UTM_SOURCES,
} from './vocabulary.ts';

/** A medium as tagged on a link: mapped, unknown or blank, in the cases and spacing people type. */
function utmMedium(rng: Rng): string {
  const r = rng.next();
  if (r < 0.04) return rng.pick(UTM_MEDIUMS.empty);
  const medium = rng.pick(r < 0.88 ? UTM_MEDIUMS.mapped : UTM_MEDIUMS.unknown);
  const spelling = rng.next();
  if (spelling < 0.82) return medium;
  return spelling < 0.97 ? medium.toUpperCase() : ` ${medium} `;
}

/** Web events of one contact (none for about one contact in eight), around the time it was created. */
export function planEvents(
  rng: Rng,
  contact: { id: string; createdAt: number },
  now: number,
  eventId: (k: number) => string,
): EventPlan[] {
  const count = rng.chance(0.12) ? 0 : rng.int(1, MAX_EVENTS_PER_CONTACT);
  const events: EventPlan[] = [];
  for (let k = 0; k < count; k++) {
    const occurredAt = Math.min(now - rng.int(1, 3_600_000), contact.createdAt + rng.int(-60 * DAY, 90 * DAY));
    const event: EventPlan = {
      id: `ev-${eventId(k)}`,
      eventType: rng.chance(0.73) ? 'e_visited_page' : 'e_submitted_form',
      contactId: contact.id,
      occurredAt,
      url: rng.pick(PAGE_URLS),
    };
    if (!rng.chance(0.1)) {
      event.utm = { medium: utmMedium(rng), source: rng.pick(UTM_SOURCES), campaign: rng.pick(UTM_CAMPAIGNS) };
      if (rng.chance(0.55)) event.utm.content = rng.pick(UTM_CONTENTS);
    }
    events.push(event);
  }
  return events;
}

/**
 * An offline touch for the ingest API, sent by email as a CRM export spells it. A few name an email no
 * contact has (a lead the portal never saw), which the app must skip rather than fail on.
 */
export function planTouch(rng: Rng, contact: { email: string; createdAt: number }, now: number): TouchPlan {
  const unknown = rng.chance(0.03);
  return {
    contactEmail: unknown
      ? `unknown.${rng.int(1, 1_000_000)}@nowhere.example.com`
      : rng.chance(0.2)
        ? emailVariant(rng, contact.email)
        : contact.email,
    occurredAt: Math.min(now - rng.int(1, 48) * HOUR, contact.createdAt + rng.int(-30 * 24, 60 * 24) * HOUR),
    channel: rng.pick(INGEST_CHANNELS),
    campaignId: rng.pick(INGEST_CAMPAIGNS),
    offerId: rng.pick(INGEST_OFFERS),
    contentId: rng.chance(0.7) ? null : rng.pick(UTM_CONTENTS),
  };
}
