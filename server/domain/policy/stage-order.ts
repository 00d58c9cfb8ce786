/**
 * The order of one object's closed-loop stages. It is a partial order, written as chains: contacts
 * and tickets have one chain, deals two (`discovery < proposal < contract < closed_won` and
 * `discovery < closed_lost`), so `closed_lost` comes after Discovery only and is neither earlier nor
 * later than Proposal, Contract or Closed Won. "Earlier" is the transitive closure of the chains.
 *
 * Built once per definitions version and queried per record, hence the closure is computed up front.
 */

/** The part of a lifecycle the order is made of; a structural type so validation can use it too. */
export type OrderedStages = {
  readonly stages: readonly { readonly id: string }[];
  readonly order: readonly (readonly string[])[];
};

export type StageOrder = {
  /** Stage ids in the order the lifecycle lists them (a linear extension when the lifecycle is valid). */
  readonly ids: readonly string[];
  /** `a` comes strictly before `b`. */
  isEarlier(a: string, b: string): boolean;
  /** `stage` is `from` or comes after it: the test for "applies from stage X or later". */
  isAtOrLater(stage: string, from: string): boolean;
  /** Neither is earlier than the other and they differ (e.g. `closed_won` and `closed_lost`). */
  areUnordered(a: string, b: string): boolean;
  /** Every stage strictly before `id`, in listed order. */
  earlier(id: string): readonly string[];
  /** Every stage strictly after `id`, in listed order. */
  later(id: string): readonly string[];
  /** The stages directly before `id` in some chain (its nearest predecessors). */
  directlyEarlier(id: string): string[];
  /** Stages that come before themselves: non-empty only for an invalid order. */
  readonly cyclic: readonly string[];
};

export function stageOrder(lifecycle: OrderedStages): StageOrder {
  const ids = lifecycle.stages.map((stage) => stage.id);
  const direct = new Map<string, Set<string>>();
  for (const chain of lifecycle.order) {
    chain.forEach((id, index) => {
      if (index === 0) return;
      const predecessors = direct.get(id) ?? new Set<string>();
      predecessors.add(chain[index - 1]!);
      direct.set(id, predecessors);
    });
  }

  const before = new Map<string, Set<string>>();
  const closureOf = (id: string): Set<string> => {
    const seen = new Set<string>();
    const pending = [...(direct.get(id) ?? [])];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(direct.get(next) ?? []));
    }
    return seen;
  };
  const allIds = new Set([...ids, ...lifecycle.order.flat()]);
  for (const id of allIds) before.set(id, closureOf(id));

  const isEarlier = (a: string, b: string) => before.get(b)?.has(a) ?? false;
  // The stages before and after each listed stage, listed once here: the engine asks for them on
  // every record. Frozen, since every caller shares them.
  const earlierOf = new Map(ids.map((id) => [id, Object.freeze(ids.filter((other) => isEarlier(other, id)))]));
  const laterOf = new Map(ids.map((id) => [id, Object.freeze(ids.filter((other) => isEarlier(id, other)))]));
  return {
    ids,
    isEarlier,
    isAtOrLater: (stage, from) => stage === from || isEarlier(from, stage),
    areUnordered: (a, b) => a !== b && !isEarlier(a, b) && !isEarlier(b, a),
    earlier: (id) => earlierOf.get(id) ?? ids.filter((other) => isEarlier(other, id)),
    later: (id) => laterOf.get(id) ?? ids.filter((other) => isEarlier(id, other)),
    directlyEarlier: (id) => ids.filter((other) => direct.get(id)?.has(other) ?? false),
    cyclic: [...allIds].filter((id) => isEarlier(id, id)),
  };
}
