import { FIXTURE_FORMAT, type FixtureInput } from '../../../server/sandbox/fixture.ts';

/** A small portal for unit tests; `over` replaces top-level parts. */
export function smallFixture(over: Partial<FixtureInput> = {}): FixtureInput {
  return {
    format: FIXTURE_FORMAT,
    portalId: 4242,
    now: '2026-11-01T00:00:00.000Z',
    owners: [{ id: '501', email: 'ana@example.com', firstName: 'Ana', lastName: 'Ruiz' }],
    pipelines: {
      deals: [
        {
          id: 'default',
          label: 'Sales Pipeline',
          displayOrder: 0,
          stages: [
            {
              id: 'appointmentscheduled',
              label: 'Appointment scheduled',
              displayOrder: 0,
              metadata: { isClosed: 'false', probability: '0.2' },
            },
            {
              id: 'closedwon',
              label: 'Closed won',
              displayOrder: 1,
              metadata: { isClosed: 'true', probability: '1.0' },
            },
          ],
        },
      ],
      tickets: [
        {
          id: '0',
          label: 'Support Pipeline',
          displayOrder: 0,
          stages: [{ id: '1', label: 'New', displayOrder: 0, metadata: { ticketState: 'OPEN' } }],
        },
      ],
    },
    objects: {
      contacts: [
        {
          id: '101',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-02-01T00:00:00.000Z',
          archived: false,
          properties: { email: 'eli@example.com', firstname: 'Eli', lifecyclestage: 'marketingqualifiedlead' },
          propertiesWithHistory: {
            lifecyclestage: [
              { value: 'marketingqualifiedlead', timestamp: '2026-02-01T00:00:00.000Z', sourceType: 'CRM_UI' },
              { value: 'lead', timestamp: '2026-01-01T00:00:00.000Z', sourceType: 'FORM' },
            ],
          },
        },
        {
          id: '102',
          createdAt: '2026-01-02T00:00:00.000Z',
          updatedAt: '2026-01-02T00:00:00.000Z',
          archived: false,
          properties: { email: 'mo@example.com', firstname: 'Mo' },
        },
      ],
      companies: [
        {
          id: '201',
          createdAt: '2025-12-01T00:00:00.000Z',
          updatedAt: '2025-12-01T00:00:00.000Z',
          archived: false,
          properties: { name: 'Acme', domain: 'acme.example.com' },
        },
      ],
      deals: [
        {
          id: '301',
          createdAt: '2026-03-01T00:00:00.000Z',
          updatedAt: '2026-03-01T00:00:00.000Z',
          archived: false,
          properties: { dealname: 'Acme deal', amount: '1000', pipeline: 'default', dealstage: 'appointmentscheduled' },
        },
      ],
      tickets: [],
    },
    associations: [
      { from: { type: 'contacts', id: '101' }, to: { type: 'companies', id: '201' } },
      { from: { type: 'contacts', id: '101' }, to: { type: 'deals', id: '301' } },
    ],
    events: [
      {
        id: 'ev-1',
        eventType: 'e_visited_page',
        objectType: 'contacts',
        objectId: '101',
        occurredAt: '2026-01-05T00:00:00.000Z',
        properties: { hs_url: 'https://www.example.com/pricing' },
      },
    ],
    ...over,
  };
}
