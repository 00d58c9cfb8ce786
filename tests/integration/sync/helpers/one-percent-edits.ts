import type { Sandbox } from '../../../../server/sandbox/server.ts';
import { sandboxControl } from './sandbox-control.ts';
import type { ChangedCounts } from './sync-calls.ts';

/** A property of each type the sync reads and people edit, given a value it cannot already have. */
const EDITED: Record<keyof ChangedCounts, (id: string) => Record<string, string>> = {
  contacts: (id) => ({ firstname: `Edited ${id}` }),
  companies: (id) => ({ name: `Edited Co ${id}` }),
  deals: (id) => ({ dealname: `Edited deal ${id}` }),
  tickets: (id) => ({ subject: `Edited ticket ${id}` }),
};

/**
 * Edits 1 % of every type's live records (every hundredth by id, one bulk edit per type through the
 * sandbox's control API, as people working in HubSpot would) and returns how many of each changed.
 */
export async function editOnePercent(sandbox: Sandbox): Promise<ChangedCounts> {
  const control = sandboxControl(sandbox);
  const changed: ChangedCounts = { contacts: 0, companies: 0, deals: 0, tickets: 0 };
  for (const type of Object.keys(EDITED) as (keyof ChangedCounts)[]) {
    const live = [...sandbox.store.tables[type].all()].filter((r) => !r.archived);
    const inputs = live.filter((_, i) => i % 100 === 0).map((r) => ({ id: r.id, properties: EDITED[type](r.id) }));
    changed[type] = (await control.editMany(type, inputs)).changed;
  }
  return changed;
}
