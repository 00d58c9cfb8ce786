import { describe, expect, it } from 'vitest';
import { policyBrief } from '../../../server/admin/policy-brief.ts';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';

const stamp = {
  version: 3,
  author: 'ana@example.com',
  reason: 'Deal stall SLA to 21 days',
  createdAt: new Date('2026-10-02T09:30:00.000Z'),
};

describe('the policy in brief', () => {
  it('names the version, who made it, when and why, and counts what each section governs', () => {
    const brief = policyBrief(stamp, DEFAULT_DEFINITIONS);
    expect(brief).toMatchObject({
      version: 3,
      changedBy: 'ana@example.com',
      changedAt: '2026-10-02T09:30:00.000Z',
      reason: 'Deal stall SLA to 21 days',
    });
    // Version 1 as the default policy specifies it (server/domain/policy/default-policy.md).
    expect(brief.stages).toEqual({ contact: 6, deal: 5, ticket: 4 });
    expect(brief.requiredFields).toBe(DEFAULT_DEFINITIONS.requiredFields.length);
    expect(brief.picklists).toBe(DEFAULT_DEFINITIONS.picklists.length);
    expect(brief.slas).toBe(DEFAULT_DEFINITIONS.slas.length);
    expect(brief.attribution).toEqual({
      defaultModel: { id: 'first_touch', label: 'First touch' },
      enabledModels: DEFAULT_DEFINITIONS.attribution.models.length,
      models: DEFAULT_DEFINITIONS.attribution.models.length,
    });
  });

  it('counts a changed section and takes the first enabled model as the default', () => {
    const models = DEFAULT_DEFINITIONS.attribution.models.map((model) => ({
      ...model,
      enabled: model.id === 'linear' || model.id === 'time_decay',
    }));
    const changed: Definitions = {
      ...DEFAULT_DEFINITIONS,
      slas: DEFAULT_DEFINITIONS.slas.slice(1),
      attribution: { ...DEFAULT_DEFINITIONS.attribution, models },
    };
    const brief = policyBrief(stamp, changed);
    expect(brief.slas).toBe(DEFAULT_DEFINITIONS.slas.length - 1);
    expect(brief.attribution).toEqual({
      defaultModel: { id: 'linear', label: 'Linear' },
      enabledModels: 2,
      models: models.length,
    });
  });

  it('falls back to the first model when none is enabled, as the dashboards do', () => {
    const models = DEFAULT_DEFINITIONS.attribution.models.map((model) => ({ ...model, enabled: false }));
    const brief = policyBrief(stamp, {
      ...DEFAULT_DEFINITIONS,
      attribution: { ...DEFAULT_DEFINITIONS.attribution, models },
    });
    expect(brief.attribution.defaultModel).toEqual({ id: 'first_touch', label: 'First touch' });
    expect(brief.attribution.enabledModels).toBe(0);
  });
});
