import type { TouchRole } from '../policy/index.ts';
import { compareNumericIds } from './numeric-ids.ts';
import type { Touch } from './touches.ts';

/** The key-touch roles of section 7 (every role of the models but `others`). */
export type KeyRole = Exclude<TouchRole, 'others'>;
export const KEY_ROLES: readonly KeyRole[] = ['first', 'last', 'lead_creation', 'deal_creation'];

/** Each role's touch, as an index into the ordered deal touches it was computed on. */
export type KeyTouches = Record<KeyRole, number>;

export type PrimaryContact = { id: string; createdAt: number | undefined };

/**
 * The deal's primary contact: its associated contact with the earliest `createdate`, ties by lowest
 * numeric id. Contacts without a `createdate` come after those with one (their creation is unknown).
 */
export function primaryContact(
  contactIds: readonly string[],
  createdAtOf: (contactId: string) => number | undefined,
): PrimaryContact | undefined {
  let primary: PrimaryContact | undefined;
  for (const id of contactIds) {
    const candidate = { id, createdAt: createdAtOf(id) };
    if (primary === undefined || comesFirst(candidate, primary)) primary = candidate;
  }
  return primary;
}

function comesFirst(a: PrimaryContact, b: PrimaryContact): boolean {
  if (a.createdAt !== b.createdAt) {
    if (a.createdAt === undefined) return false;
    if (b.createdAt === undefined) return true;
    return a.createdAt < b.createdAt;
  }
  return compareNumericIds(a.id, b.id) < 0;
}

/**
 * Section 7, key touches over ordered deal touches: first = earliest; last = latest; deal creation =
 * latest at or before the deal's `createdate`; lead creation = latest touch of the primary contact at
 * or before that contact's `createdate`. Both fall back to the first touch when there is none (or the
 * date is unknown). Undefined when there is no touch.
 */
export function keyTouches(
  touches: readonly Touch[],
  dealCreatedAt: number | undefined,
  primary: PrimaryContact | undefined,
): KeyTouches | undefined {
  if (touches.length === 0) return undefined;
  let dealCreation = 0;
  let leadCreation = 0;
  for (let i = touches.length - 1; i > 0; i--) {
    const touch = touches[i]!;
    if (dealCreation === 0 && dealCreatedAt !== undefined && touch.time <= dealCreatedAt) dealCreation = i;
    if (
      leadCreation === 0 &&
      primary?.createdAt !== undefined &&
      touch.contactId === primary.id &&
      touch.time <= primary.createdAt
    )
      leadCreation = i;
    if (dealCreation !== 0 && leadCreation !== 0) break;
  }
  return { first: 0, last: touches.length - 1, lead_creation: leadCreation, deal_creation: dealCreation };
}
