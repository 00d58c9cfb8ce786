import { describe, expect, it } from 'vitest';
import { SettingsSummary } from '../../../server/admin/settings-summary-contract.ts';
import { ContactCard } from '../../../server/cards/contracts/contact.ts';
import { DealCard } from '../../../server/cards/contracts/deal.ts';
import { TicketCard } from '../../../server/cards/contracts/ticket.ts';
import {
  contactCardData,
  dealCardData,
  dealUnderLinear,
  ticketCardData,
} from '../../../extensions/tests/helpers/fixtures.ts';
import { adminSummaryData } from '../../../extensions/tests/helpers/settings-summary.ts';

// The cards can't import the server's contracts (they ship to HubSpot alone), so their decoders restate
// the shapes. The answers the card tests render are checked here against the server's own schemas: a
// contract change the cards don't follow fails this test instead of a card in production.
describe('the card tests’ API answers', () => {
  it.each([
    ['deal', DealCard, dealCardData()],
    ['deal under linear', DealCard, dealUnderLinear()],
    ['ticket', TicketCard, ticketCardData()],
    ['contact', ContactCard, contactCardData()],
  ] as const)('%s answer is one the server may send', (_name, schema, data) => {
    const parsed = schema.safeParse(data);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});

// The same for the settings page's summary (`POST /admin/summary`), against the schema the route
// checks its answer with.
describe('the settings page tests’ summary answer', () => {
  it('is one the server may send', () => {
    const parsed = SettingsSummary.safeParse(adminSummaryData());
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('would be caught if it drifted from the contract', () => {
    const drifted = { ...adminSummaryData(), openFindings: -1 };
    expect(SettingsSummary.safeParse(drifted).success).toBe(false);
  });
});
