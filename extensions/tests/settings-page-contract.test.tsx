import { describe, expect, it } from 'vitest';
import { adminSummary } from '../lib/contracts/admin-summary.ts';
import { adminSummaryData } from './helpers/settings-summary.ts';

/** An answer as JSON gives it: any field may be anything, which is what these tests feed the decoder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function altered(change: (copy: Json) => void): unknown {
  const copy: Json = JSON.parse(JSON.stringify(adminSummaryData()));
  change(copy);
  return copy;
}

describe('the settings page’s summary decoder', () => {
  it('takes the answer the contract describes, as it is', () => {
    expect(adminSummary(JSON.parse(JSON.stringify(adminSummaryData())))).toEqual(adminSummaryData());
  });

  it('refuses a missing section, a wrong type, an unknown status or loop, and a count out of range', () => {
    const refusals: [string, unknown][] = [
      ['no policy', altered((s) => delete s.policy)],
      ['running as text', altered((s) => (s.sync.running = 'yes'))],
      ['run status unknown', altered((s) => (s.sync.lastFull.status = 'queued'))],
      ['run kind webhook', altered((s) => (s.sync.lastIncremental.kind = 'webhook'))],
      ['negative records', altered((s) => (s.sync.lastFull.records = -1))],
      ['loop unknown', altered((s) => (s.loops[0].loop = 'nightly_backup'))],
      ['loop status unknown', altered((s) => (s.loops[1].status = 'skipped'))],
      ['version 0', altered((s) => (s.policy.version = 0))],
      ['open findings 1.5', altered((s) => (s.openFindings = 1.5))],
      ['no default model', altered((s) => delete s.policy.attribution.defaultModel)],
    ];
    for (const [why, value] of refusals) expect(adminSummary(value), why).toBeUndefined();
    expect(adminSummary(null)).toBeUndefined();
  });

  it('ignores a field it does not know (a backend deployed ahead of the upload), and drops it', () => {
    expect(adminSummary(altered((s) => (s.sync.webhookLagSeconds = 4)))).toEqual(adminSummaryData());
  });
});
