import { beforeAll, describe, expect, it } from 'vitest';
import { PortalFixtureSchema } from '../../bench/fixture-schema.ts';
import type { CrmObject, PortalFixture } from '../../bench/fixture-schema.ts';
import { generateText } from './generate-text.ts';
import {
  associationIndex,
  backwardMoves,
  blank,
  currentStage,
  fieldProblem,
  inScope,
  MAPPED_MEDIUMS,
  normalizeDomain,
  normalizeEmail,
  outOfOrderStages,
  REQUIRED_FIELDS,
  rowApplies,
  skippedStages,
  slaBreaches,
  TABLES,
} from './policy-probe.ts';
import type { ObjectKind } from './policy-probe.ts';

/**
 * A generated portal must give the app's hygiene checks and attribution something to find: at least one
 * record for every rule of the default policy, in a 5,000-contact fixture.
 */
describe('a generated fixture (5,000 contacts) exercises the default policy', { timeout: 60_000 }, () => {
  let fixture: PortalFixture;
  let now: number;
  const inScopeOf = (kind: ObjectKind) => fixture.objects[kind].filter((o) => inScope(kind, o));
  const countWhere = (kind: ObjectKind, test: (o: CrmObject) => boolean) => inScopeOf(kind).filter(test).length;

  beforeAll(async () => {
    fixture = PortalFixtureSchema.parse(JSON.parse((await generateText({ contacts: 5000, seed: 2026 })).text));
    now = Date.parse(fixture.now);
  }, 120_000);

  it('has records at every stage, and records out of scope', () => {
    for (const kind of ['contacts', 'deals', 'tickets'] as const) {
      const stages = new Set(inScopeOf(kind).map((o) => currentStage(kind, o)));
      expect([...stages].toSorted(), kind).toEqual([...TABLES[kind].order].toSorted());
    }
    expect(new Set(fixture.objects.deals.map((d) => d.properties.dealstage)).size).toBe(7);
    expect(fixture.objects.contacts.some((c) => !inScope('contacts', c))).toBe(true);
    expect(fixture.objects.tickets.some((t) => !inScope('tickets', t))).toBe(true);
  });

  it.each(['contacts', 'deals', 'tickets'] as const)(
    'has %s with skipped stages, backward moves and out-of-order timestamps',
    (kind) => {
      expect(countWhere(kind, (o) => skippedStages(kind, o).length > 0)).toBeGreaterThan(0);
      expect(countWhere(kind, (o) => backwardMoves(kind, o).length > 0)).toBeGreaterThan(0);
      expect(countWhere(kind, (o) => outOfOrderStages(kind, o).length > 0)).toBeGreaterThan(0);
      // Most records are clean: the anomalies are the exception, as in a real portal.
      const clean = countWhere(
        kind,
        (o) => skippedStages(kind, o).length + backwardMoves(kind, o).length + outOfOrderStages(kind, o).length === 0,
      );
      expect(clean / inScopeOf(kind).length).toBeGreaterThan(0.6);
    },
  );

  it('skips a contact’s SAL and a deal’s Proposal or Contract, the classic gaps', () => {
    expect(countWhere('contacts', (o) => skippedStages('contacts', o).includes('sal'))).toBeGreaterThan(0);
    expect(
      countWhere('deals', (o) => skippedStages('deals', o).some((s) => s === 'proposal' || s === 'contract')),
    ).toBeGreaterThan(0);
  });

  it.each(REQUIRED_FIELDS.map((row) => [`${row.kind}.${row.field}`, row] as const))(
    'has records failing the required field %s',
    (_name, row) => {
      const applicable = inScopeOf(row.kind).filter((o) => rowApplies(row, o));
      const problems = applicable.map((o) => fieldProblem(row, o));
      if (!row.whenSet) expect(problems.filter((p) => p === 'missing').length).toBeGreaterThan(0);
      if (typeof row.rule === 'object') expect(problems.filter((p) => p === 'invalid').length).toBeGreaterThan(0);
      expect(problems.filter((p) => p === undefined).length).toBeGreaterThan(0);
    },
  );

  it('has missing values of every spelling: absent, empty and blank', () => {
    const offers = inScopeOf('contacts')
      .filter((c) => currentStage('contacts', c) !== 'lead')
      .map((c) => c.properties.clr_offer_id);
    expect(offers).toContain(undefined);
    expect(offers).toContain('');
    expect(offers).toContain('  ');
    const amounts = fixture.objects.deals.map((d) => d.properties.amount);
    expect(amounts.some((a) => a !== undefined && !blank(a) && !(Number(a) > 0))).toBe(true);
  });

  it('has deals without a buyer and won deals without a contract id', () => {
    const contactsOf = associationIndex(fixture, 'deals', 'contacts');
    expect(countWhere('deals', (d) => (contactsOf.get(d.id) ?? []).length === 0)).toBeGreaterThan(0);
    expect(countWhere('deals', (d) => (contactsOf.get(d.id) ?? []).length > 1)).toBeGreaterThan(0);
    expect(
      countWhere('deals', (d) => currentStage('deals', d) === 'closed_won' && blank(d.properties.clr_contract_id)),
    ).toBeGreaterThan(0);
  });

  it('has tickets without a deal, with a mismatched contract id, and matching only once trimmed', () => {
    const dealsOf = associationIndex(fixture, 'tickets', 'deals');
    const dealById = new Map(fixture.objects.deals.map((d) => [d.id, d]));
    const contractsOf = (t: CrmObject) => (dealsOf.get(t.id) ?? []).map((id) => dealById.get(id)?.properties.clr_contract_id?.trim());
    expect(countWhere('tickets', (t) => (dealsOf.get(t.id) ?? []).length === 0)).toBeGreaterThan(0);
    const linkedWithContract = (t: CrmObject) => !blank(t.properties.clr_contract_id) && (dealsOf.get(t.id) ?? []).length > 0;
    expect(countWhere('tickets', (t) => linkedWithContract(t) && !contractsOf(t).includes(t.properties.clr_contract_id?.trim()))).toBeGreaterThan(0);
    expect(
      countWhere('tickets', (t) => linkedWithContract(t) && t.properties.clr_contract_id !== t.properties.clr_contract_id?.trim() && contractsOf(t).includes(t.properties.clr_contract_id?.trim())),
    ).toBeGreaterThan(0);
  }); // prettier-ignore

  it('has duplicate contacts whose emails differ in case or spaces', () => {
    const groups = new Map<string, string[]>();
    for (const c of fixture.objects.contacts) {
      const email = c.properties.email ?? '';
      if (blank(email)) continue;
      groups.set(normalizeEmail(email), [...(groups.get(normalizeEmail(email)) ?? []), email]);
    }
    const duplicates = [...groups.values()].filter((g) => g.length > 1);
    expect(duplicates.length).toBeGreaterThan(0);
    expect(duplicates.some((g) => g.some((e) => e !== e.trim()))).toBe(true);
    expect(duplicates.some((g) => g.some((e) => e.trim() !== e.trim().toLowerCase()))).toBe(true);
    expect(fixture.objects.contacts.filter((c) => blank(c.properties.email)).length).toBeGreaterThan(1);
  });

  it('has duplicate companies whose domains differ by www. or case, and a www.www. near miss', () => {
    const groups = new Map<string, string[]>();
    for (const c of fixture.objects.companies) {
      const domain = c.properties.domain ?? '';
      groups.set(normalizeDomain(domain), [...(groups.get(normalizeDomain(domain)) ?? []), domain]);
    }
    const duplicates = [...groups.values()].filter((g) => g.length > 1);
    expect(
      duplicates.some(
        (g) => g.some((d) => d.toLowerCase().startsWith('www.')) && g.some((d) => !d.toLowerCase().startsWith('www.')),
      ),
    ).toBe(true);
    expect(duplicates.some((g) => g.some((d) => d !== d.toLowerCase()))).toBe(true);
    expect(fixture.objects.companies.some((c) => c.properties.domain?.startsWith('www.www.'))).toBe(true);
  });

  it.each([
    ['contacts', 'lead_follow_up'],
    ['contacts', 'lead_acceptance'],
    ['deals', 'deal_stall'],
    ['tickets', 'onboarding'],
  ] as const)('has %s breaching the %s SLA, and others meeting it', (kind, sla) => {
    const subject = inScopeOf(kind).filter((o) => kind !== 'contacts' || currentStage(kind, o) !== 'lead');
    const breached = subject.filter((o) => slaBreaches(kind, o, now).includes(sla)).length;
    expect(breached).toBeGreaterThan(0);
    expect(breached).toBeLessThan(subject.length);
  });

  it('tags events with every medium of the policy’s table, unknown mediums, blank ones and none', () => {
    const mediums = fixture.events.map((e) => e.properties.hs_utm_medium);
    const normalized = new Set(mediums.filter((m) => m !== undefined).map((m) => m.trim().toLowerCase()));
    expect(MAPPED_MEDIUMS.filter((m) => !normalized.has(m))).toEqual([]);
    expect([...normalized].filter((m) => m !== '' && !MAPPED_MEDIUMS.includes(m)).length).toBeGreaterThan(0);
    expect(normalized.has('')).toBe(true);
    expect(mediums).toContain(undefined);
    expect(mediums.some((m) => m !== undefined && m !== m.trim().toLowerCase())).toBe(true);
  });

  it('has contacts with only an original source, and contacts with no touch at all', () => {
    const withEvents = new Set(fixture.events.map((e) => e.objectId));
    const touched = new Set(fixture.ingest.touches.map((t) => normalizeEmail(t.contactEmail)));
    const untouched = fixture.objects.contacts.filter(
      (c) =>
        !withEvents.has(c.id) && (blank(c.properties.email) || !touched.has(normalizeEmail(c.properties.email ?? ''))),
    );
    expect(untouched.filter((c) => !blank(c.properties.hs_analytics_source)).length).toBeGreaterThan(0);
    expect(untouched.filter((c) => blank(c.properties.hs_analytics_source)).length).toBeGreaterThan(0);
  });

  it('sends ingest touches whose email matches a contact only once trimmed and lower-cased, and some that match none', () => {
    const emails = new Set(fixture.objects.contacts.map((c) => c.properties.email ?? ''));
    const normalized = new Set([...emails].map(normalizeEmail));
    const touches = fixture.ingest.touches.map((t) => t.contactEmail);
    expect(touches.some((e) => !emails.has(e) && normalized.has(normalizeEmail(e)))).toBe(true);
    expect(touches.some((e) => !normalized.has(normalizeEmail(e)))).toBe(true);
  });
});
