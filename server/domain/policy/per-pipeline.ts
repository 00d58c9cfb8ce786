import type { Lifecycle, PipelineMapping } from './stages.ts';

/**
 * `build` over one pipeline mapping of a lifecycle, once: what reading a record's stages needs of the
 * definitions (which stages a value maps to, how each stage is dated…) is worked out the first time it
 * is asked for and kept while the definitions live. Definitions are immutable versions, so the objects
 * are safe cache keys. The last pair asked for is remembered too: the records of a pass come object by
 * object, so nearly every call is for the same pair as the one before, and skips the WeakMaps.
 */
export function perPipeline<T>(
  build: (lifecycle: Lifecycle, mapping: PipelineMapping) => T,
): (lifecycle: Lifecycle, mapping: PipelineMapping) => T {
  const cache = new WeakMap<Lifecycle, WeakMap<PipelineMapping, { value: T }>>();
  let last: { lifecycle: Lifecycle; mapping: PipelineMapping; value: T } | undefined;
  return (lifecycle, mapping) => {
    if (last !== undefined && last.lifecycle === lifecycle && last.mapping === mapping) return last.value;
    let byMapping = cache.get(lifecycle);
    if (byMapping === undefined) cache.set(lifecycle, (byMapping = new WeakMap()));
    let built = byMapping.get(mapping);
    if (built === undefined) byMapping.set(mapping, (built = { value: build(lifecycle, mapping) }));
    last = { lifecycle, mapping, value: built.value };
    return built.value;
  };
}
