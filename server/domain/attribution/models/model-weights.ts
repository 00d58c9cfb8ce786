import type { KeyTouches } from '../key-touches.ts';
import type { Touch } from '../touches.ts';
import type { CompiledModel } from './compiled-model.ts';
import { linearWeights } from './linear.ts';
import { positionalWeights } from './positional.ts';
import { timeDecayWeights } from './time-decay.ts';

/** Whether weights are integer numerators (exact shares) or reals (time decay). */
export type WeightKind = 'exact' | 'real';

/** The weights of one model over ordered deal touches (at least one), written into `out`. */
export function modelWeights(
  model: CompiledModel,
  touches: readonly Touch[],
  roles: KeyTouches,
  out: Float64Array,
): WeightKind {
  switch (model.kind) {
    case 'positional':
      positionalWeights(model.units, touches.length, roles, out);
      return 'exact';
    case 'linear':
      linearWeights(touches.length, out);
      return 'exact';
    case 'time_decay':
      timeDecayWeights(touches, model.halfLifeMs, out);
      return 'real';
  }
}
