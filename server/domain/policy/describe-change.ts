import type { DefinitionsChange } from './diff.ts';
import { OBJECT_PLURAL, type CrmObject } from './primitives.ts';

/**
 * One line per change for the change log ("Added required field clr_budget on deals from proposal").
 * It reads only the change itself (path, before, after), so entries stored long ago render the same
 * way; a change no sentence knows about is still described from its path.
 */
export function describeChange(change: DefinitionsChange): string {
  for (const describe of SENTENCES) {
    const line = describe(change);
    if (line !== undefined) return line;
  }
  return generic(change);
}

export function describeChanges(changes: readonly DefinitionsChange[]): string[] {
  return changes.map(describeChange);
}

type Sentence = (change: DefinitionsChange) => string | undefined;

const VERB = { added: 'Added', removed: 'Removed', changed: 'Changed' } as const;

const requiredField: Sentence = ({ path, change, before, after }) => {
  const whole = /^requiredFields\[([^\]/]+)\/([^\]/]+)\/([^\]]+)\]$/.exec(path);
  if (whole && change !== 'changed') {
    const row = (change === 'added' ? after : before) as Record<string, unknown>;
    const [, object, stage, field] = whole;
    const what = String(field).startsWith('checklist:')
      ? `required checklist ${String(field).slice('checklist:'.length)}`
      : `required field ${field}`;
    const when = row.applies === 'only' ? `only at ${stage}` : `from ${stage}`;
    const ifSet = row.onlyWhenSet === true ? ', when set' : '';
    return `${VERB[change]} ${what} on ${plural(object!)} ${when}${ifSet}`;
  }
  const part = /^requiredFields\[([^\]/]+)\/([^\]/]+)\/([^\]]+)\]\.(.+)$/.exec(path);
  if (part) {
    const [, object, stage, field, setting] = part;
    return `Required field ${field} on ${plural(object!)} (${stage}): ${detail(change, setting!, before, after)}`;
  }
  return undefined;
};

const picklist: Sentence = ({ path, change, before, after }) => {
  const whole = /^picklists\[([^\]]+)\]$/.exec(path);
  if (whole && change !== 'changed') return `${VERB[change]} picklist ${whole[1]}`;
  const options = /^picklists\[([^\]]+)\]\.options$/.exec(path);
  if (options && change === 'changed') return `Reordered the options of picklist ${options[1]}`;
  const option = /^picklists\[([^\]]+)\]\.options\[(.+)\]$/.exec(path);
  if (option && change === 'added')
    return `Added option ${option[2]} (${quote((after as { label?: unknown }).label)}) to picklist ${option[1]}`;
  if (option && change === 'removed') return `Removed option ${option[2]} from picklist ${option[1]}`;
  const optionPart = /^picklists\[([^\]]+)\]\.options\[(.+)\]\.(\w+)$/.exec(path);
  if (optionPart)
    return `Option ${optionPart[2]} of picklist ${optionPart[1]}: ${detail(change, optionPart[3]!, before, after)}`;
  const legacy = /^picklists\[([^\]]+)\]\.legacyValues\[(.+)\]$/.exec(path);
  if (legacy && change === 'added')
    return `Added legacy value ${quote(legacy[2])} → ${(after as { mapsTo?: unknown }).mapsTo} to picklist ${legacy[1]}`;
  if (legacy && change === 'removed') return `Removed legacy value ${quote(legacy[2])} from picklist ${legacy[1]}`;
  return undefined;
};

const sla: Sentence = ({ path, change, before, after }) => {
  const whole = /^slas\[([^\]]+)\]$/.exec(path);
  if (whole && change !== 'changed') {
    const item = (change === 'added' ? after : before) as { label?: unknown };
    return `${VERB[change]} SLA ${whole[1]} (${quote(item.label)})`;
  }
  const part = /^slas\[([^\]]+)\]\.(.+)$/.exec(path);
  if (part) return `SLA ${part[1]}: ${detail(change, part[2]!, before, after)}`;
  return undefined;
};

const SENTENCES: readonly Sentence[] = [requiredField, picklist, sla];

function generic({ path, change, before, after }: DefinitionsChange): string {
  const where = path === '' ? 'the definitions' : path;
  if (change === 'added') return isScalar(after) ? `Added ${where}: ${show(after)}` : `Added ${where}`;
  if (change === 'removed') return `Removed ${where}`;
  return `Changed ${where} from ${show(before)} to ${show(after)}`;
}

/** "rule changed from non_empty to date", "onlyWhenSet set to true", "atStages removed". */
function detail(change: DefinitionsChange['change'], setting: string, before: unknown, after: unknown): string {
  if (change === 'changed') return `${setting} changed from ${show(before)} to ${show(after)}`;
  if (change === 'added') return isScalar(after) ? `${setting} set to ${show(after)}` : `${setting} added`;
  return `${setting} removed`;
}

function plural(object: string): string {
  return Object.hasOwn(OBJECT_PLURAL, object) ? OBJECT_PLURAL[object as CrmObject] : object;
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Bare words stay bare (`non_empty`), text with spaces is quoted, structures are compact JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return /^[\w:.<>/-]+$/.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return `[${value.join(', ')}]`;
  return JSON.stringify(value) ?? String(value);
}
