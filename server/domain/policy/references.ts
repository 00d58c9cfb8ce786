import { channelsNamedBy } from './channels.ts';
import type { StagedObject } from './primitives.ts';
import type { Problem } from './problems.ts';
import { parseFieldRule } from './required-fields.ts';
import type { Definitions } from './schema.ts';
import { stagesNamedBy } from './slas.ts';

/**
 * Consistency across sections: every name one section uses must be defined by the section that owns
 * it. Each problem is reported where the dangling name is written. A check runs when the sections it
 * reads are present (valid), so a partly broken document still gets every check it can answer.
 */
export function referenceProblems(d: Partial<Definitions>): Problem[] {
  const problems: Problem[] = [];
  if (d.stages) problems.push(...globalStageIdProblems(d.stages));
  if (d.stages && d.requiredFields) problems.push(...requiredFieldStageProblems(d.stages, d.requiredFields));
  if (d.picklists && d.requiredFields) problems.push(...requiredFieldPicklistProblems(d.picklists, d.requiredFields));
  if (d.checklists && d.requiredFields) problems.push(...requiredChecklistProblems(d.checklists, d.requiredFields));
  if (d.picklists && d.channels) problems.push(...channelProblems(d.picklists, d.channels, d.attribution));
  if (d.stages && d.joinKeys) problems.push(...joinKeyProblems(d.stages, d.joinKeys));
  if (d.stages && d.slas) problems.push(...slaProblems(d.stages, d.slas));
  if (d.picklists && d.properties) problems.push(...propertyProblems(d.picklists, d.properties));
  return problems;
}

type Stages = Definitions['stages'];
type Picklists = Definitions['picklists'];
type Path = (string | number)[];

const STAGED_OBJECTS: readonly StagedObject[] = ['contact', 'deal', 'ticket'];

// Finding codes and every other section name stages by id alone, so ids are unique across objects.
function globalStageIdProblems(stages: Stages): Problem[] {
  const owner = new Map<string, StagedObject>();
  const problems: Problem[] = [];
  for (const object of STAGED_OBJECTS) {
    stages[object].stages.forEach((stage, i) => {
      const first = owner.get(stage.id);
      if (first !== undefined && first !== object)
        problems.push({
          path: ['stages', object, 'stages', i, 'id'],
          message: `stage id "${stage.id}" is already a ${first} stage; stage ids are unique across objects`,
        });
      else owner.set(stage.id, object);
    });
  }
  return problems;
}

function stageProblem(stages: Stages, object: StagedObject, stage: string, path: Path): Problem[] {
  const known = stages[object].stages.map((s) => s.id);
  return known.includes(stage)
    ? []
    : [{ path, message: `"${stage}" is not a ${object} stage (${object} stages: ${known.join(', ')})` }];
}

function picklistProblem(picklists: Picklists, name: string, path: Path): Problem[] {
  return picklists.some((picklist) => picklist.name === name)
    ? []
    : [{ path, message: `there is no picklist "${name}" (picklists: ${picklists.map((p) => p.name).join(', ')})` }];
}

function requiredFieldStageProblems(stages: Stages, rows: Definitions['requiredFields']): Problem[] {
  return rows.flatMap((row, i) => stageProblem(stages, row.object, row.stage, ['requiredFields', i, 'stage']));
}

function requiredFieldPicklistProblems(picklists: Picklists, rows: Definitions['requiredFields']): Problem[] {
  return rows.flatMap((row, i) => {
    if (!('field' in row)) return [];
    const rule = parseFieldRule(row.rule);
    return rule.kind === 'picklist' ? picklistProblem(picklists, rule.picklist, ['requiredFields', i, 'rule']) : [];
  });
}

function requiredChecklistProblems(
  checklists: Definitions['checklists'],
  rows: Definitions['requiredFields'],
): Problem[] {
  return rows.flatMap((row, i): Problem[] => {
    if (!('checklist' in row)) return [];
    const path = ['requiredFields', i, 'checklist'];
    const checklist = checklists.find((c) => c.id === row.checklist);
    if (checklist === undefined)
      return [
        {
          path,
          message: `there is no checklist "${row.checklist}" (checklists: ${checklists.map((c) => c.id).join(', ')})`,
        },
      ];
    if (checklist.object !== row.object)
      return [
        {
          path,
          message: `checklist "${checklist.id}" is kept on ${checklist.object} records, not ${row.object} records`,
        },
      ];
    return [];
  });
}

function channelProblems(
  picklists: Picklists,
  channels: Definitions['channels'],
  attribution: Definitions['attribution'] | undefined,
): Problem[] {
  const picklist = picklists.find((p) => p.name === channels.picklist);
  if (picklist === undefined) return picklistProblem(picklists, channels.picklist, ['channels', 'picklist']);
  const options = picklist.options.map((o) => o.value);
  const problems: Problem[] = channelsNamedBy(channels)
    .filter(({ channel }) => !options.includes(channel))
    .map(({ path, channel }) => ({
      path: ['channels', ...path],
      message: `"${channel}" is not a channel (options of picklist "${picklist.name}": ${options.join(', ')})`,
    }));
  if (attribution && options.includes(attribution.unattributedChannel))
    problems.push({
      path: ['attribution', 'unattributedChannel'],
      message: `"${attribution.unattributedChannel}" is a real channel; unattributed credit must stay distinguishable from it`,
    });
  return problems;
}

function joinKeyProblems(stages: Stages, checks: Definitions['joinKeys']): Problem[] {
  return checks.flatMap((check, i) =>
    check.atStage === undefined
      ? []
      : stageProblem(stages, check.object, check.atStage.stage, ['joinKeys', i, 'atStage', 'stage']),
  );
}

function slaProblems(stages: Stages, slas: Definitions['slas']): Problem[] {
  return slas.flatMap((sla, i) =>
    stagesNamedBy(sla).flatMap(({ path, stage }) => stageProblem(stages, sla.object, stage, ['slas', i, ...path])),
  );
}

function propertyProblems(picklists: Picklists, properties: Definitions['properties']): Problem[] {
  const lists = ['writtenBack', 'inputs'] as const;
  return lists.flatMap((list) =>
    properties[list].flatMap((property, i) =>
      property.options?.source === 'picklist'
        ? picklistProblem(picklists, property.options.picklist, ['properties', list, i, 'options', 'picklist'])
        : [],
    ),
  );
}
