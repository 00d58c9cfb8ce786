import type { Definitions } from '../policy/index.ts';
import {
  CreditKinds,
  creditedMoment,
  dealTouches,
  type ContactIndex,
  type CreditKind,
  type DealForAttribution,
} from './deal-touches.ts';
import { keyTouches, primaryContact, type KeyTouches, type PrimaryContact } from './key-touches.ts';
import { compileModels, type CompiledModel } from './models/compiled-model.ts';
import { modelWeights } from './models/model-weights.ts';
import { splitCentsInto, splitScratch, type SplitScratch } from './split-cents.ts';
import type { Touch } from './touches.ts';

/** One touch's credit for one deal, model and kind; `touchId` null is the deal's unattributed row. */
export type CreditRow = {
  dealId: string;
  model: string;
  kind: CreditKind;
  touchId: string | null;
  channel: string;
  campaignId: string | null;
  cents: number;
};

/** A deal's touches for one credited moment, with their key touches (undefined when there is no touch). */
export type DealAttribution = {
  kind: CreditKind;
  moment: number;
  touches: Touch[];
  roles: KeyTouches | undefined;
};

export type AttributionEngine = {
  /** The enabled models, compiled, in the definitions' order. */
  readonly models: readonly CompiledModel[];
  /**
   * Every credit row of one deal (each enabled model, pipeline then revenue), appended to `rows`.
   * Rows with 0 cents are not emitted: a touch credited nothing has no row.
   */
  creditDeal(deal: DealForAttribution, contacts: ContactIndex, rows?: CreditRow[]): CreditRow[];
  /** The deal touches and key touches behind one kind of credit, or undefined when it has no moment. */
  dealAttribution(deal: DealForAttribution, contacts: ContactIndex, kind: CreditKind): DealAttribution | undefined;
};

/**
 * Section 7 for one definitions version. The engine compiles the models once and reuses its weight
 * and split buffers across deals (it is synchronous, so one engine can serve a whole run); its
 * results depend only on its arguments.
 */
export function createAttributionEngine(definitions: Pick<Definitions, 'attribution'>): AttributionEngine {
  const { lookbackDays, unattributedChannel } = definitions.attribution;
  const models = compileModels(definitions.attribution);
  let weights = new Float64Array(64);
  let parts = new Float64Array(64);
  let scratch: SplitScratch = splitScratch(64);

  const attribution = (
    deal: DealForAttribution,
    contacts: ContactIndex,
    kind: CreditKind,
    primary: PrimaryContact | undefined,
  ): DealAttribution | undefined => {
    const moment = creditedMoment(deal, kind);
    if (moment === undefined) return undefined;
    const touches = dealTouches(deal.contactIds, contacts, moment, lookbackDays);
    return { kind, moment, touches, roles: keyTouches(touches, deal.createdAt, primary) };
  };

  const creditDeal = (deal: DealForAttribution, contacts: ContactIndex, rows: CreditRow[] = []): CreditRow[] => {
    const cents = deal.amountCents;
    if (cents === undefined || !deal.inScope) return rows;
    const primary = primaryContact(deal.contactIds, (id) => contacts.createdAtOf(id));
    for (const kind of CreditKinds) {
      const credited = attribution(deal, contacts, kind, primary);
      if (credited === undefined) continue;
      const { touches, roles } = credited;
      if (roles === undefined) {
        for (const model of models)
          rows.push({
            dealId: deal.id,
            model: model.id,
            kind,
            touchId: null,
            channel: unattributedChannel,
            campaignId: null,
            cents,
          });
        continue;
      }
      const n = touches.length;
      if (n > weights.length) {
        const capacity = Math.max(n, weights.length * 2);
        weights = new Float64Array(capacity);
        parts = new Float64Array(capacity);
        scratch = splitScratch(capacity);
      }
      for (const model of models) {
        const weightKind = modelWeights(model, touches, roles, weights);
        splitCentsInto(cents, weights, n, weightKind, parts, scratch);
        for (let i = 0; i < n; i++) {
          if (parts[i] === 0) continue;
          const touch = touches[i]!;
          rows.push({
            dealId: deal.id,
            model: model.id,
            kind,
            touchId: touch.id,
            channel: touch.channel,
            campaignId: touch.campaignId,
            cents: parts[i]!,
          });
        }
      }
    }
    return rows;
  };

  return {
    models,
    creditDeal,
    dealAttribution: (deal, contacts, kind) =>
      attribution(
        deal,
        contacts,
        kind,
        primaryContact(deal.contactIds, (id) => contacts.createdAtOf(id)),
      ),
  };
}

/** One deal's credit rows under the definitions (compiles the models each call: use an engine for many deals). */
export function creditsOfDeal(
  deal: DealForAttribution,
  contacts: ContactIndex,
  definitions: Pick<Definitions, 'attribution'>,
): CreditRow[] {
  return createAttributionEngine(definitions).creditDeal(deal, contacts);
}
