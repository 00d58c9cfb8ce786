import { describe, expect, it } from 'vitest';
import { DEFAULT_DEFINITIONS, type Definitions } from '../../../server/domain/policy/index.ts';
import { resolveSubscriptions } from '../../../server/sandbox/webhooks/index.ts';
import {
  APP_WEBHOOK_SUBSCRIPTIONS,
  propertiesRead,
  webhookSubscriptions,
} from '../../../server/webhooks/subscriptions.ts';

const types = (list: readonly { subscriptionType: string; propertyName?: string }[]) =>
  list.map((s) => (s.propertyName ? `${s.subscriptionType}:${s.propertyName}` : s.subscriptionType));

describe('the app’s webhook subscriptions', () => {
  it('covers the lifecycle of every object and GDPR deletions', () => {
    const all = types(APP_WEBHOOK_SUBSCRIPTIONS);
    for (const object of ['contact', 'company', 'deal', 'ticket'])
      for (const event of ['creation', 'deletion', 'merge', 'restore', 'associationChange'])
        expect(all).toContain(`${object}.${event}`);
    expect(all).toContain('contact.privacyDeletion');
    expect(new Set(all).size).toBe(all.length);
  });

  it('subscribes to the properties the default policy reads, and none it writes back', () => {
    const all = types(APP_WEBHOOK_SUBSCRIPTIONS);
    for (const expected of [
      'contact.propertyChange:lifecyclestage',
      'contact.propertyChange:email',
      'contact.propertyChange:clr_sal_date',
      'contact.propertyChange:hs_lifecyclestage_marketingqualifiedlead_date',
      'contact.propertyChange:hs_analytics_source',
      'company.propertyChange:domain',
      'deal.propertyChange:dealstage',
      'deal.propertyChange:pipeline',
      'deal.propertyChange:amount',
      'deal.propertyChange:closedate',
      'deal.propertyChange:hs_date_entered_closedwon',
      'deal.propertyChange:clr_contract_id',
      'ticket.propertyChange:hs_pipeline_stage',
      'ticket.propertyChange:clr_contract_id',
      'ticket.propertyChange:hubspot_owner_id',
    ])
      expect(all).toContain(expected);
    const writtenBack = DEFAULT_DEFINITIONS.properties.writtenBack.map((p) => p.name);
    expect(all.filter((s) => writtenBack.some((name) => s.endsWith(`:${name}`)))).toEqual([]);
  });

  it('follows the definitions: a property a policy starts reading gets a subscription', () => {
    const definitions = structuredClone(DEFAULT_DEFINITIONS) as Definitions;
    definitions.requiredFields.push({
      object: 'deal',
      stage: 'discovery',
      applies: 'from',
      field: 'next_step_note',
      rule: 'non_empty',
    });
    expect(propertiesRead(definitions).deal).toContain('next_step_note');
    expect(types(webhookSubscriptions(definitions))).toContain('deal.propertyChange:next_step_note');
    expect(propertiesRead(DEFAULT_DEFINITIONS).deal).not.toContain('next_step_note');
  });

  it('is a list HubSpot (as the sandbox checks it) accepts, under its 1,000-subscription limit', () => {
    expect(() => resolveSubscriptions([...APP_WEBHOOK_SUBSCRIPTIONS])).not.toThrow();
    expect(APP_WEBHOOK_SUBSCRIPTIONS.length).toBeLessThanOrEqual(1_000);
  });
});
