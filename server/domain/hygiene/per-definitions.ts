import type { CrmObject, Definitions } from '../policy/index.ts';
import type { StagedRecord } from './staged-record.ts';

/**
 * `build` over a definitions version, once: what a rule reads of the definitions on every record (the
 * SLAs of an object, a checklist by id…) is worked out the first time it is asked for and kept while
 * the definitions object lives. Definitions are immutable versions, so the object is a safe key.
 * (An undefined result is kept like any other.)
 */
export function perDefinitions<T>(build: (definitions: Definitions) => T): (definitions: Definitions) => T {
  const cache = new WeakMap<Definitions, T>();
  // A pass evaluates all its records against one version: remembering the last one asked for (held
  // until another is) saves the WeakMap lookup on nearly every call.
  let last: { definitions: Definitions; value: T } | undefined;
  return (definitions) => {
    if (last?.definitions === definitions) return last.value;
    let value = cache.get(definitions);
    if (value === undefined && !cache.has(definitions)) cache.set(definitions, (value = build(definitions)));
    last = { definitions, value: value as T };
    return value as T;
  };
}

/** `perDefinitions` for what depends on the object too: built once per definitions and object. */
export function perDefinitionsAndObject<T>(
  build: (definitions: Definitions, object: CrmObject) => T,
): (definitions: Definitions, object: CrmObject) => T {
  const ofDefinitions = perDefinitions(() => new Map<CrmObject, T>());
  // A pass reads its records object by object: the last pair asked for is nearly always the next one.
  let last: { definitions: Definitions; object: CrmObject; value: T } | undefined;
  return (definitions, object) => {
    if (last !== undefined && last.definitions === definitions && last.object === object) return last.value;
    const byObject = ofDefinitions(definitions);
    let value = byObject.get(object);
    if (value === undefined && !byObject.has(object)) byObject.set(object, (value = build(definitions, object)));
    last = { definitions, object, value: value as T };
    return value as T;
  };
}

/**
 * What applies to a record at its stage (the rows or checks of its object that apply there), built
 * once per definitions, object and stage rather than once per record: `build` may read the view's
 * definitions, object, lifecycle, order and stage, and nothing of the record itself.
 */
export function perStage<T>(build: (view: StagedRecord) => T): (view: StagedRecord) => T {
  const ofObject = perDefinitionsAndObject(() => new Map<string, T>());
  return (view) => {
    const byStage = ofObject(view.definitions, view.object);
    const value = byStage.get(view.stage);
    if (value !== undefined || byStage.has(view.stage)) return value as T;
    const built = build(view);
    byStage.set(view.stage, built);
    return built;
  };
}
