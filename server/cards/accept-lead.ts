import type { CardContext } from './card-deps.ts';
import { loadCardRecord } from './card-record.ts';
import { CardRefusal } from './card-refusal.ts';
import { commitCardWrite } from './commit-card-write.ts';
import { acceptLeadState, contactCard } from './contact-card.ts';
import type { AcceptLeadRequest, ContactCard } from './contracts/contact.ts';

/** Sales accepts an MQL: its acceptance property (clr_sal_date) is set to now, which makes it a SAL. */
export async function acceptLead(deps: CardContext, request: AcceptLeadRequest): Promise<ContactCard> {
  const card = await loadCardRecord(deps, request, 'contact');
  const state = acceptLeadState(card);
  if (!state.available)
    throw new CardRefusal('refused', `${state.reason ?? 'This lead cannot be accepted.'} Nothing was changed.`);
  const type = card.definitions.properties.inputs.find((p) => p.name === state.property)?.type;
  const now = deps.now().toISOString();
  const value = type === 'date' ? now.slice(0, 10) : now;
  await commitCardWrite(deps, request, card, {
    properties: { [state.property]: value },
    audit: { action: 'accept_lead', property: state.property, oldValue: null, newValue: value },
  });
  return contactCard(deps, request);
}
