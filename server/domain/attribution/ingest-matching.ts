import { normaliseKey, type Definitions, type NormaliseStep } from '../policy/index.ts';
import { compareNumericIds } from './numeric-ids.ts';
import type { ContactRecord } from './touches.ts';

const EMAIL = 'email';
// Section 7 names the normalisation itself; the contact email duplicate rule (section 4) is the same
// rule as data, so an admin who changes one changes both. Without that rule, the section's own words.
const SECTION_7_STEPS: readonly NormaliseStep[] = ['trim', 'lowercase'];

export type ContactReference = { contactId?: string | null | undefined; contactEmail?: string | null | undefined };

/** The id of the contact an ingested touch belongs to, or undefined when none matches. */
export type ContactMatcher = (touch: ContactReference) => string | undefined;

/**
 * Section 7: an ingested touch is matched to a contact by id, or else by email after normalising
 * (trim, lower-case), to the survivor (lowest numeric id) when several contacts share the address.
 * An id naming no known contact falls back to the email.
 */
export function ingestContactMatcher(
  contacts: Iterable<ContactRecord>,
  definitions: Pick<Definitions, 'duplicates'>,
): ContactMatcher {
  const steps =
    definitions.duplicates.find((rule) => rule.object === 'contact' && rule.property === EMAIL)?.normalise ??
    SECTION_7_STEPS;
  const ids = new Set<string>();
  const survivorByEmail = new Map<string, string>();
  for (const contact of contacts) {
    ids.add(contact.id);
    const key = normaliseKey(contact.properties[EMAIL], steps);
    if (key === '') continue;
    const current = survivorByEmail.get(key);
    if (current === undefined || compareNumericIds(contact.id, current) < 0) survivorByEmail.set(key, contact.id);
  }
  return ({ contactId, contactEmail }) => {
    if (contactId !== null && contactId !== undefined && ids.has(contactId)) return contactId;
    const key = normaliseKey(contactEmail, steps);
    return key === '' ? undefined : survivorByEmail.get(key);
  };
}
