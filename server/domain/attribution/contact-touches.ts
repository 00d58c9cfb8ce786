import type { Definitions } from '../policy/index.ts';
import { ingestContactMatcher } from './ingest-matching.ts';
import {
  compareTouches,
  derivedOriginalSourceTouch,
  isContactEvent,
  touchFromHubSpotEvent,
  touchFromIngest,
  type ContactRecord,
  type HubSpotEvent,
  type IngestTouch,
  type Touch,
} from './touches.ts';

export type TouchInputs = {
  contacts: Iterable<ContactRecord>;
  events: Iterable<HubSpotEvent>;
  ingest: Iterable<IngestTouch>;
};

export type ContactTouches = {
  /** Every contact's touches, ordered (time, then id). Contacts without a touch are absent. */
  byContact: Map<string, Touch[]>;
  /** Ids of ingested touches that matched no contact. */
  unmatchedIngest: string[];
  /** Ids of events and ingested touches dropped because their time is not a date. */
  invalidTime: string[];
};

/**
 * All touches of a portal's contacts from the three sources of section 7: HubSpot events, ingested
 * touches matched to their contact, then the derived original-source touch for each contact that has
 * neither. For the sync and the ingest API, which store touches; attribution reads them per contact.
 */
export function touchesOfContacts(
  inputs: TouchInputs,
  definitions: Pick<Definitions, 'channels' | 'duplicates'>,
): ContactTouches {
  const taxonomy = definitions.channels;
  const contacts = [...inputs.contacts];
  const byContact = new Map<string, Touch[]>();
  const unmatchedIngest: string[] = [];
  const invalidTime: string[] = [];
  const add = (touch: Touch) => {
    const list = byContact.get(touch.contactId);
    if (list === undefined) byContact.set(touch.contactId, [touch]);
    else list.push(touch);
  };

  for (const event of inputs.events) {
    const touch = touchFromHubSpotEvent(event, taxonomy);
    if (touch !== undefined) add(touch);
    else if (isContactEvent(event)) invalidTime.push(event.id);
  }

  const match = ingestContactMatcher(contacts, definitions);
  for (const ingested of inputs.ingest) {
    const contactId = match(ingested);
    if (contactId === undefined) {
      unmatchedIngest.push(ingested.id);
      continue;
    }
    const touch = touchFromIngest(ingested, contactId, taxonomy);
    if (touch !== undefined) add(touch);
    else invalidTime.push(ingested.id);
  }

  for (const contact of contacts) {
    const derived = derivedOriginalSourceTouch(contact, byContact.get(contact.id)?.length ?? 0, taxonomy);
    if (derived !== undefined) add(derived);
  }

  for (const list of byContact.values()) list.sort(compareTouches);
  return { byContact, unmatchedIngest, invalidTime };
}
