import { z } from 'zod';
import { Attribution } from './attribution.ts';
import { ChannelTaxonomy } from './channels.ts';
import { Checklists } from './checklists.ts';
import { DuplicateRules } from './duplicates.ts';
import { Findings } from './findings.ts';
import { JoinKeyChecks } from './join-keys.ts';
import { Picklists } from './picklists.ts';
import { reportProblems } from './problems.ts';
import { Properties } from './properties.ts';
import { referenceProblems } from './references.ts';
import { RequiredFields } from './required-fields.ts';
import { Slas } from './slas.ts';
import { StageIntegrity } from './stage-integrity.ts';
import { Stages } from './stages.ts';

/**
 * The definitions: the whole closed-loop policy of one portal, as data. Every hygiene check,
 * attribution model and written-back property reads it; nothing downstream hard-codes a rule. An
 * admin's change makes a new immutable version (the store numbers versions; the document does not
 * carry its own number, so equal policies are equal documents and a diff shows only real changes).
 *
 * Sections follow the default policy's specification, sections 1–9 (version 1 is default-policy.ts).
 * Each section validates itself; references between sections (a rule naming a picklist, a stage of
 * another object…) are checked here, so every message points at the exact path that is wrong.
 */
export const DEFINITIONS_FORMAT = 'closed-loop-definitions/1';

const SECTIONS = {
  /** The document format, for reading exports written by other versions of the app. */
  format: z.literal(DEFINITIONS_FORMAT),
  /** Section 1. */
  stages: Stages,
  /** Section 2. */
  requiredFields: RequiredFields,
  /** Section 3. */
  picklists: Picklists,
  channels: ChannelTaxonomy,
  /** Section 4. */
  joinKeys: JoinKeyChecks,
  stageIntegrity: StageIntegrity,
  duplicates: DuplicateRules,
  /** Section 5. */
  checklists: Checklists,
  /** Section 6. */
  slas: Slas,
  /** Section 7. */
  attribution: Attribution,
  /** Section 8. */
  properties: Properties,
  /** Section 9. */
  findings: Findings,
};

const DefinitionsShape = z.strictObject(SECTIONS);

export type Definitions = z.output<typeof DefinitionsShape>;

export const DefinitionsSchema = DefinitionsShape.superRefine(
  (definitions, ctx) => {
    // A document with a structural error elsewhere still gets its references checked, but only
    // between sections that are themselves valid, so one mistake does not hide another.
    const sections = ctx.issues.length === 0 ? definitions : validSections(ctx.value);
    reportProblems(referenceProblems(sections), ctx);
  },
  { when: () => true },
);

type SectionKey = keyof typeof SECTIONS;

function validSections(value: unknown): Partial<Definitions> {
  if (typeof value !== 'object' || value === null) return {};
  const sections: Partial<Record<SectionKey, unknown>> = {};
  for (const key of Object.keys(SECTIONS) as SectionKey[]) {
    const result = SECTIONS[key].safeParse((value as Record<string, unknown>)[key]);
    if (result.success) sections[key] = result.data;
  }
  return sections as Partial<Definitions>;
}
