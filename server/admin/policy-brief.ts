import type { Definitions } from '../domain/policy/index.ts';
import { resolveModel } from '../reporting/report-catalog.ts';
import type { PolicyBrief } from './settings-summary-contract.ts';

/** Who made a definitions version, when and why (a `definitions_versions` row without its document). */
export type VersionStamp = { version: number; author: string; reason: string; createdAt: Date };

/**
 * The policy in a few figures for the settings component: which version is current and who made it,
 * how much each section governs, and the attribution model the dashboards show by default. Pure: the
 * caller reads the version and its (validated) document.
 */
export function policyBrief(stamp: VersionStamp, definitions: Definitions): PolicyBrief {
  const { models } = definitions.attribution;
  // The dashboards' own rule (reports without a chosen model), so the brief names the model they show.
  const defaultId = resolveModel(definitions, undefined);
  const defaultModel = models.find((model) => model.id === defaultId)!;
  return {
    version: stamp.version,
    changedBy: stamp.author,
    changedAt: stamp.createdAt.toISOString(),
    reason: stamp.reason,
    stages: {
      contact: definitions.stages.contact.stages.length,
      deal: definitions.stages.deal.stages.length,
      ticket: definitions.stages.ticket.stages.length,
    },
    requiredFields: definitions.requiredFields.length,
    picklists: definitions.picklists.length,
    slas: definitions.slas.length,
    attribution: {
      defaultModel: { id: defaultModel.id, label: defaultModel.label },
      enabledModels: models.filter((model) => model.enabled).length,
      models: models.length,
    },
  };
}
