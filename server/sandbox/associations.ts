import type { CrmObjectType } from './contracts.ts';

/**
 * Associations between records, kept once per pair and read in both directions, with HubSpot's default
 * (HUBSPOT_DEFINED) association types. Type ids are the ones the SDK's AssociationTypes enum carries
 * (@hubspot/api-client lib/src/enums/AssociationTypes.d.ts): an unlabeled type for every direction,
 * plus a "Primary" type on the side that points at a company.
 */
export type AssociationSpec = { category: 'HUBSPOT_DEFINED'; typeId: number; label: string | null };

type Direction = { unlabeled: number; primary?: number; v3Name: string };

const SINGULAR: Record<CrmObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tickets: 'ticket',
};

const DIRECTIONS: Partial<Record<`${CrmObjectType}>${CrmObjectType}`, Direction>> = {
  'contacts>companies': { unlabeled: 279, primary: 1, v3Name: 'contact_to_company' },
  'companies>contacts': { unlabeled: 280, primary: 2, v3Name: 'company_to_contact' },
  'deals>contacts': { unlabeled: 3, v3Name: 'deal_to_contact' },
  'contacts>deals': { unlabeled: 4, v3Name: 'contact_to_deal' },
  'deals>companies': { unlabeled: 341, primary: 5, v3Name: 'deal_to_company' },
  'companies>deals': { unlabeled: 342, primary: 6, v3Name: 'company_to_deal' },
  'contacts>tickets': { unlabeled: 15, v3Name: 'contact_to_ticket' },
  'tickets>contacts': { unlabeled: 16, v3Name: 'ticket_to_contact' },
  'tickets>companies': { unlabeled: 339, primary: 26, v3Name: 'ticket_to_company' },
  'companies>tickets': { unlabeled: 340, primary: 25, v3Name: 'company_to_ticket' },
  'deals>tickets': { unlabeled: 27, v3Name: 'deal_to_ticket' },
  'tickets>deals': { unlabeled: 28, v3Name: 'ticket_to_deal' },
};

export const direction = (from: CrmObjectType, to: CrmObjectType): Direction | undefined => DIRECTIONS[`${from}>${to}`];

/** Which pair and direction a HUBSPOT_DEFINED type id names (for creates that carry association types). */
export function directionOfType(
  typeId: number,
): { from: CrmObjectType; to: CrmObjectType; primary: boolean } | undefined {
  for (const [key, d] of Object.entries(DIRECTIONS)) {
    const [from, to] = key.split('>') as [CrmObjectType, CrmObjectType];
    if (d.unlabeled === typeId) return { from, to, primary: false };
    if (d.primary === typeId) return { from, to, primary: true };
  }
  return undefined;
}

/** The edge between two records; `primary` marks the company end as the other record's primary company. */
const RANK: Record<CrmObjectType, number> = { contacts: 0, companies: 1, deals: 2, tickets: 3 };
type Edge = { primary: boolean; order: number };
const key = (type: CrmObjectType, id: string) => `${type}:${id}`;

export class AssociationStore {
  // record key → other type → other id → edge (the same Edge object is stored under both ends)
  private readonly byRecord = new Map<string, Map<CrmObjectType, Map<string, Edge>>>();
  private counter = 0;

  private side(type: CrmObjectType, id: string, other: CrmObjectType): Map<string, Edge> {
    let byType = this.byRecord.get(key(type, id));
    if (!byType) this.byRecord.set(key(type, id), (byType = new Map()));
    let edges = byType.get(other);
    if (!edges) byType.set(other, (edges = new Map()));
    return edges;
  }

  /** Adds an edge; the first company of a record becomes its primary unless told otherwise. Returns false if it existed. */
  add(fromType: CrmObjectType, fromId: string, toType: CrmObjectType, toId: string, primary?: boolean): boolean {
    const forward = this.side(fromType, fromId, toType);
    if (forward.has(toId)) return false;
    const companyEnd =
      toType === 'companies'
        ? { type: fromType, id: fromId }
        : fromType === 'companies'
          ? { type: toType, id: toId }
          : undefined;
    const isPrimary =
      primary ?? (companyEnd ? this.idsOf(companyEnd.type, companyEnd.id, 'companies').length === 0 : false);
    const edge: Edge = { primary: companyEnd ? isPrimary : false, order: this.counter++ };
    forward.set(toId, edge);
    this.side(toType, toId, fromType).set(fromId, edge);
    return true;
  }

  remove(fromType: CrmObjectType, fromId: string, toType: CrmObjectType, toId: string): boolean {
    const forward = this.byRecord.get(key(fromType, fromId))?.get(toType);
    if (!forward?.has(toId)) return false;
    forward.delete(toId);
    this.byRecord.get(key(toType, toId))?.get(fromType)?.delete(fromId);
    return true;
  }

  /**
   * Sets or clears the "Primary" label of an existing edge between a record and a company. A record has
   * one primary company, so setting the label takes it from the company that had it (`demoted`).
   * Returns whether the label changed; false for an edge that doesn't exist or has no company end.
   */
  setPrimary(
    fromType: CrmObjectType,
    fromId: string,
    toType: CrmObjectType,
    toId: string,
    primary: boolean,
  ): { changed: boolean; record?: { type: CrmObjectType; id: string }; demoted?: string } {
    const edge = this.byRecord.get(key(fromType, fromId))?.get(toType)?.get(toId);
    if (!edge || (fromType !== 'companies' && toType !== 'companies') || edge.primary === primary)
      return { changed: false };
    const record = toType === 'companies' ? { type: fromType, id: fromId } : { type: toType, id: toId };
    const company = toType === 'companies' ? toId : fromId;
    let demoted: string | undefined;
    if (primary)
      for (const [otherCompany, other] of this.side(record.type, record.id, 'companies'))
        if (other.primary && otherCompany !== company) {
          other.primary = false;
          demoted = otherCompany;
        }
    edge.primary = primary;
    return { changed: true, record, ...(demoted === undefined ? {} : { demoted }) };
  }

  /** Ids of `toType` records associated with a record, in the order the associations were made. */
  idsOf(type: CrmObjectType, id: string, toType: CrmObjectType): string[] {
    const edges = this.byRecord.get(key(type, id))?.get(toType);
    return edges ? [...edges.keys()] : [];
  }

  /** HubSpot's association types for one direction of one edge. */
  typesOf(fromType: CrmObjectType, fromId: string, toType: CrmObjectType, toId: string): AssociationSpec[] {
    const edge = this.byRecord.get(key(fromType, fromId))?.get(toType)?.get(toId);
    const d = direction(fromType, toType);
    if (!edge || !d) return [];
    const types: AssociationSpec[] = [];
    if (edge.primary && d.primary !== undefined)
      types.push({ category: 'HUBSPOT_DEFINED', typeId: d.primary, label: 'Primary' });
    types.push({ category: 'HUBSPOT_DEFINED', typeId: d.unlabeled, label: null });
    return types;
  }

  /** The v3 `associations` names for one direction of an edge (`contact_to_company`, `…_unlabeled`). */
  v3TypesOf(fromType: CrmObjectType, fromId: string, toType: CrmObjectType, toId: string): string[] {
    const edge = this.byRecord.get(key(fromType, fromId))?.get(toType)?.get(toId);
    const d = direction(fromType, toType);
    if (!edge || !d) return [];
    return d.primary !== undefined ? [...(edge.primary ? [d.v3Name] : []), `${d.v3Name}_unlabeled`] : [d.v3Name];
  }

  /** Moves every association of `fromId` onto `intoId` (a merge). Returns how many were moved. */
  moveAll(type: CrmObjectType, fromId: string, intoId: string): number {
    const byType = this.byRecord.get(key(type, fromId));
    if (!byType) return 0;
    let moved = 0;
    for (const [otherType, edges] of byType) {
      for (const [otherId, edge] of [...edges]) {
        this.remove(type, fromId, otherType, otherId);
        if (
          this.add(type, intoId, otherType, otherId, edge.primary && this.idsOf(type, intoId, 'companies').length === 0)
        )
          moved++;
      }
    }
    this.byRecord.delete(key(type, fromId));
    return moved;
  }

  /** Every edge once, from contacts → companies → deals → tickets, sorted for a stable export. */
  all(): { from: { type: CrmObjectType; id: string }; to: { type: CrmObjectType; id: string } }[] {
    const out: { from: { type: CrmObjectType; id: string }; to: { type: CrmObjectType; id: string } }[] = [];
    for (const [recordKey, byType] of this.byRecord) {
      const [type, id] = recordKey.split(':') as [CrmObjectType, string];
      for (const [otherType, edges] of byType) {
        if (RANK[type] > RANK[otherType]) continue;
        for (const otherId of edges.keys()) out.push({ from: { type, id }, to: { type: otherType, id: otherId } });
      }
    }
    const num = (s: string) => BigInt(s);
    return out.sort(
      (a, b) =>
        RANK[a.from.type] - RANK[b.from.type] ||
        (num(a.from.id) < num(b.from.id) ? -1 : num(a.from.id) > num(b.from.id) ? 1 : 0) ||
        RANK[a.to.type] - RANK[b.to.type] ||
        (num(a.to.id) < num(b.to.id) ? -1 : num(a.to.id) > num(b.to.id) ? 1 : 0),
    );
  }

  static singular(type: CrmObjectType): string {
    return SINGULAR[type];
  }
}
