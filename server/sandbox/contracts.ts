/**
 * The seams between the sandbox's parts, fixed first so they can be built side by side: the store
 * and routes emit SandboxChange values; the webhook deliverer turns them into HubSpot's webhook
 * batches; the budget and fault middlewares sit in front of every HubSpot route.
 */

export type CrmObjectType = 'contacts' | 'companies' | 'deals' | 'tickets';

/**
 * Who made a change, in HubSpot's webhook vocabulary: `changeSource` as HubSpot sends it
 * (`CRM_UI`, `INTEGRATION`, `WORKFLOWS`, `IMPORT`, `API`, …) and `sourceId` (for an app's write,
 * the app id; for a user, `userId:<id>`).
 */
export type ChangeSource = { changeSource: string; sourceId?: string };

/** One change to the portal, emitted once it is applied to the store. Times are epoch milliseconds. */
export type SandboxChange =
  | { kind: 'creation'; objectType: CrmObjectType; objectId: string; occurredAt: number; source: ChangeSource }
  | { kind: 'deletion'; objectType: CrmObjectType; objectId: string; occurredAt: number; source: ChangeSource }
  | { kind: 'restore'; objectType: CrmObjectType; objectId: string; occurredAt: number; source: ChangeSource }
  | {
      kind: 'propertyChange';
      objectType: CrmObjectType;
      objectId: string;
      propertyName: string;
      propertyValue: string;
      occurredAt: number;
      source: ChangeSource;
    }
  | {
      kind: 'merge';
      objectType: CrmObjectType;
      primaryObjectId: string;
      mergedObjectIds: string[];
      newObjectId: string;
      numberOfPropertiesMoved: number;
      occurredAt: number;
      source: ChangeSource;
    }
  | {
      kind: 'associationChange';
      fromObjectType: CrmObjectType;
      fromObjectId: string;
      toObjectType: CrmObjectType;
      toObjectId: string;
      associationRemoved: boolean;
      /** The change is to the "Primary" label (the association itself may stay): HubSpot's `isPrimaryAssociation`. */
      primary?: boolean;
      occurredAt: number;
      source: ChangeSource;
    }
  | { kind: 'privacyDeletion'; objectType: 'contacts'; objectId: string; occurredAt: number; source: ChangeSource };

export type SandboxChangeListener = (change: SandboxChange) => void;
