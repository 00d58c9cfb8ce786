import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactCard } from '../../../server/cards/contracts/contact.ts';
import { envelope } from '../../../server/cards/contracts/common.ts';
import { DealCard } from '../../../server/cards/contracts/deal.ts';
import { TicketCard } from '../../../server/cards/contracts/ticket.ts';
import { writeBack } from '../../../server/writeback/write-back.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { cardPortal, USER, type CardPortal } from './helpers/card-portal.ts';

const db = useTestDatabase();
let portal: CardPortal;

beforeAll(async () => {
  portal = await cardPortal(db.pool, db.url);
});
afterAll(async () => {
  await portal?.close();
});

async function write<T>(path: string, schema: { parse(value: unknown): T }, body: object): Promise<T> {
  const answer = await portal.call({ path, body });
  expect(answer.status).toBe(200);
  const parsed = envelope(schema as never).parse(answer.json) as { ok: true; data: T } | { ok: false; error: unknown };
  if (!parsed.ok) throw new Error(`expected data, got ${JSON.stringify(parsed.error)}`);
  return parsed.data;
}

type Table = 'contacts' | 'deals' | 'tickets';
const mirror = async (table: Table, id: number) =>
  (
    await db.pool.query<{ properties: Record<string, string | null> }>(
      // The table name comes from the three fixed names above.
      `SELECT properties FROM ${table} WHERE portal_id = $1 AND id = $2`,
      [portal.portalId, id],
    )
  ).rows[0]!.properties;
const inHubSpot = (table: Table, id: number) =>
  portal.sandbox.exportFixture().objects[table]!.find((o) => o.id === String(id))!.properties;
const audit = async (id: number) =>
  (
    await db.pool.query(
      `SELECT action, property, old_value, new_value, user_id, user_email FROM card_writes WHERE portal_id = $1 AND object_id = $2 ORDER BY id`,
      [portal.portalId, id],
    )
  ).rows;
const patchesOf = (table: Table, id: number, since: number) =>
  portal.sandbox.writes
    .list({ kind: 'write', method: 'PATCH', since })
    .filter((w) => w.path === `/crm/v3/objects/${table}/${id}`);

describe('refused writes change nothing', () => {
  it('refuses a value outside the picklist with a message naming the options', async () => {
    const before = {
      writes: portal.sandbox.writes.size,
      mirror: await mirror('deals', 1235),
      hubspot: inHubSpot('deals', 1235),
    };
    const answer = await portal.call({
      path: '/cards/v1/deal/field',
      body: { ...portal.claims(1235), property: 'clr_product_line', value: 'Cloud Stuff' },
    });
    expect(answer.json).toEqual({
      ok: false,
      error: {
        code: 'refused',
        field: 'value',
        message: expect.stringMatching(
          /^Product line: "Cloud Stuff" is not one of its options \(managed_services: .*\)\. Nothing was changed\.$/,
        ),
      },
    });
    expect(portal.sandbox.writes.size).toBe(before.writes);
    expect(await mirror('deals', 1235)).toEqual(before.mirror);
    expect(inHubSpot('deals', 1235)).toEqual(before.hubspot);
    expect(await audit(1235)).toEqual([]);
  });

  it('refuses a number that is not > 0, a malformed date and a field outside the data standard', async () => {
    const before = portal.sandbox.writes.size;
    const cases: [string, string, RegExp][] = [
      ['amount', '-5', /not a number greater than 0/],
      ['amount', '1,000', /not a number greater than 0/],
      ['closedate', '15/12/2026', /not a date \(YYYY-MM-DD\)/],
      ['closedate', '2026-02-30', /not a date/],
      ['dealname', 'Renamed', /not a field of the deal data standard/],
      ['clr_sla_scope', '   ', /give it a value/],
    ];
    for (const [property, value, message] of cases) {
      const answer = await portal.call({
        path: '/cards/v1/deal/field',
        body: { ...portal.claims(1235), property, value },
      });
      expect(answer.json, `${property}=${value}`).toMatchObject({
        ok: false,
        error: { code: 'refused', message: expect.stringMatching(message) },
      });
    }
    expect(portal.sandbox.writes.size).toBe(before);
    expect(await audit(1235)).toEqual([]);
  });

  it('refuses an unknown checklist item and a change-request reason outside its picklist', async () => {
    const before = portal.sandbox.writes.size;
    const item = await portal.call({
      path: '/cards/v1/ticket/checklist',
      body: { ...portal.claims(1270), item: 'coffee', checked: true },
    });
    expect(item.json).toMatchObject({ ok: false, error: { code: 'refused', field: 'item' } });
    const reason = await portal.call({
      path: '/cards/v1/ticket/change-request-reason',
      body: { ...portal.claims(1270), value: 'Scope' },
    });
    expect(reason.json).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('scope_gap_in_discovery') },
    });
    expect(portal.sandbox.writes.size).toBe(before);
    expect(
      (await db.pool.query(`SELECT 1 FROM checklist_items WHERE portal_id = $1`, [portal.portalId])).rowCount,
    ).toBe(0);
  });

  it('changes nothing when HubSpot refuses the write (the record is gone from HubSpot, not yet from the mirror)', async () => {
    const token = portal.sandbox.issueAccessToken();
    const archived = await fetch(`${portal.sandbox.url}/crm/v3/objects/deals/1392`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(archived.status).toBe(204);
    const before = await mirror('deals', 1392);
    const answer = await portal.call({
      path: '/cards/v1/deal/field',
      body: { ...portal.claims(1392), property: 'clr_sla_scope', value: '99.9% uptime' },
    });
    expect(answer.json).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'HubSpot no longer has this record. Nothing was changed.' },
    });
    expect(await mirror('deals', 1392)).toEqual(before);
    expect(await audit(1392)).toEqual([]);
  });
});

describe('accepted writes', () => {
  it('fills a picklist field: HubSpot gets it with the new compliance values, the answer shows the new state', async () => {
    const since = portal.sandbox.writes.size;
    const card = await write('/cards/v1/deal/field', DealCard, {
      ...portal.claims(1235),
      property: 'clr_product_line',
      value: 'cloud_migration',
    });
    const [patch, ...more] = patchesOf('deals', 1235, since);
    expect(more).toEqual([]);
    const sent = (patch!.body as { properties: Record<string, string> }).properties;
    expect(sent.clr_product_line).toBe('cloud_migration');
    expect(sent.clr_compliance_status).toBe(card.compliance?.status);
    expect(sent.clr_compliance_score).toBe(String(card.compliance?.score));
    expect(inHubSpot('deals', 1235).clr_product_line).toBe('cloud_migration');
    expect((await mirror('deals', 1235)).clr_product_line).toBe('cloud_migration');
    expect(card.missingFields.current.map((f) => f.property)).not.toContain('clr_product_line');
    expect(card.findings.map((f) => f.code)).not.toContain('invalid_value:clr_product_line');
    const { rows } = await db.pool.query(
      `SELECT resolved_at FROM findings WHERE portal_id = $1 AND object_id = 1235 AND code = 'invalid_value:clr_product_line'`,
      [portal.portalId],
    );
    expect(rows[0]?.resolved_at).toBeInstanceOf(Date);
    expect(await audit(1235)).toEqual([
      {
        action: 'fill_field',
        property: 'clr_product_line',
        old_value: 'Cloud',
        new_value: 'cloud_migration',
        user_id: USER.userId,
        user_email: USER.userEmail,
      },
    ]);
  });

  it('fills a date as HubSpot stores it, and a later write-back does not send the same values again', async () => {
    const card = await write('/cards/v1/deal/field', DealCard, {
      ...portal.claims(1235),
      property: 'closedate',
      value: '2026-12-15',
    });
    expect(inHubSpot('deals', 1235).closedate).toBe('2026-12-15T00:00:00.000Z');
    expect((await mirror('deals', 1235)).closedate).toBe('2026-12-15T00:00:00.000Z');
    expect(card.missingFields.current.map((f) => f.property)).not.toContain('closedate');
    // The card sent the deal's changed computed values with the date and recorded them in the ledger.
    const since = portal.sandbox.writes.size;
    const report = await writeBack(db.pool, portal.app.context.clientFor(portal.portalId), portal.portalId);
    expect(report.failed).toEqual([]);
    const resent = portal.sandbox.writes
      .list({ since, kind: 'write' })
      .flatMap((w) => (w.body as { inputs?: { id: string }[] }).inputs ?? [])
      .filter((input) => input.id === '1235');
    expect(resent).toEqual([]);
  });

  it('checks and unchecks a handoff item with who and when, writing clr_handoff_pct and clr_handoff_complete', async () => {
    const since = portal.sandbox.writes.size;
    const card = await write('/cards/v1/ticket/checklist', TicketCard, {
      ...portal.claims(1270),
      item: 'scope_confirmed',
      checked: true,
    });
    const handoff = card.checklists.find((c) => c.id === 'handoff')!;
    expect(handoff.items[0]).toMatchObject({
      id: 'scope_confirmed',
      checked: true,
      checkedByUserId: String(USER.userId),
      checkedByEmail: USER.userEmail,
    });
    expect(Date.now() - Date.parse(handoff.items[0]!.checkedAt!)).toBeLessThan(60_000);
    expect(handoff).toMatchObject({ done: 1, total: 7, percent: 14, complete: false });
    const sent = (patchesOf('tickets', 1270, since)[0]!.body as { properties: Record<string, string> }).properties;
    // Only what changed goes out: the portal's write-back had already sent clr_handoff_complete = false.
    expect(sent.clr_handoff_pct).toBe('14');
    expect(inHubSpot('tickets', 1270)).toMatchObject({ clr_handoff_pct: '14', clr_handoff_complete: 'false' });

    // Checking it again changes nothing and writes nothing.
    const again = portal.sandbox.writes.size;
    await write('/cards/v1/ticket/checklist', TicketCard, {
      ...portal.claims(1270),
      item: 'scope_confirmed',
      checked: true,
    });
    expect(portal.sandbox.writes.size).toBe(again);

    const unchecked = await write('/cards/v1/ticket/checklist', TicketCard, {
      ...portal.claims(1270),
      item: 'scope_confirmed',
      checked: false,
    });
    expect(unchecked.checklists[0]).toMatchObject({ done: 0, percent: 0 });
    expect(inHubSpot('tickets', 1270).clr_handoff_pct).toBe('0');
  });

  it('completes the checklist: the ticket is complete and its checklist finding is resolved', async () => {
    let card: TicketCard | undefined;
    const since = portal.sandbox.writes.size;
    for (const item of [
      'scope_confirmed',
      'sla_recorded',
      'timeline_assumptions',
      'access_plan',
      'stakeholders',
      'success_criteria',
      'kickoff_scheduled',
    ])
      card = await write('/cards/v1/ticket/checklist', TicketCard, { ...portal.claims(1270), item, checked: true });
    expect(card!.checklists[0]).toMatchObject({ done: 7, percent: 100, complete: true });
    expect(card!.findings.map((f) => f.code)).not.toContain('checklist_incomplete');
    expect(inHubSpot('tickets', 1270)).toMatchObject({ clr_handoff_pct: '100', clr_handoff_complete: 'true' });
    const last = patchesOf('tickets', 1270, since).at(-1)!.body as { properties: Record<string, string> };
    expect(last.properties).toMatchObject({ clr_handoff_pct: '100', clr_handoff_complete: 'true' });
    const { rows } = await db.pool.query(
      `SELECT resolved_at FROM findings WHERE portal_id = $1 AND object_id = 1270 AND code = 'checklist_incomplete'`,
      [portal.portalId],
    );
    expect(rows[0]?.resolved_at).toBeInstanceOf(Date);
  });

  it('sets and clears the change-request reason', async () => {
    const set = await write('/cards/v1/ticket/change-request-reason', TicketCard, {
      ...portal.claims(1270),
      value: 'new_requirement',
    });
    expect(set.changeRequestReason).toMatchObject({ value: 'new_requirement', valid: true });
    expect(inHubSpot('tickets', 1270).clr_change_request_reason).toBe('new_requirement');
    const cleared = await write('/cards/v1/ticket/change-request-reason', TicketCard, {
      ...portal.claims(1270),
      value: '',
    });
    expect(cleared.changeRequestReason.value ?? '').toBe('');
    expect(inHubSpot('tickets', 1270).clr_change_request_reason ?? '').toBe('');
  });

  it('accepts a lead: clr_sal_date is set now, the contact is a SAL, and it cannot be accepted twice', async () => {
    const before = Date.now();
    const card = await write('/cards/v1/contact/accept-lead', ContactCard, portal.claims(1049));
    const sal = inHubSpot('contacts', 1049).clr_sal_date!;
    expect(Date.parse(sal)).toBeGreaterThanOrEqual(before - 1_000);
    expect((await mirror('contacts', 1049)).clr_sal_date).toBe(sal);
    expect(card.stage).toEqual({ id: 'sal', label: 'SAL' });
    expect(card.acceptLead).toMatchObject({ available: false, acceptedAt: new Date(Date.parse(sal)).toISOString() });
    expect(card.timeline.find((t) => t.stage.id === 'sal')?.enteredAt).toBe(new Date(Date.parse(sal)).toISOString());
    const since = portal.sandbox.writes.size;
    const twice = await portal.call({ path: '/cards/v1/contact/accept-lead', body: portal.claims(1049) });
    expect(twice.json).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('was accepted on') },
    });
    expect(portal.sandbox.writes.size).toBe(since);
    expect((await audit(1049)).map((a) => [a.action, a.property, a.user_id])).toEqual([
      ['accept_lead', 'clr_sal_date', USER.userId],
    ]);
  });
});
