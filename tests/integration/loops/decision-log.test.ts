import { beforeAll, describe, expect, it } from 'vitest';
import { createDecision } from '../../../server/decisions/create-decision.ts';
import { decisionKpis } from '../../../server/decisions/decision-kpis.ts';
import { DecisionInputError, DecisionNotFound } from '../../../server/decisions/errors.ts';
import { listDecisions } from '../../../server/decisions/list-decisions.ts';
import { updateDecision } from '../../../server/decisions/update-decision.ts';
import { insertDigest } from '../../../server/db/repositories/digests.ts';
import { useTestDatabase } from '../../helpers/database.ts';

/** The decision log's use cases against Postgres: what the admin page's API will call. */
const db = useTestDatabase();
const PORTAL = 31;
const OTHER = 32;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  await db.pool.query(`INSERT INTO portals (portal_id) VALUES ($1), ($2)`, [PORTAL, OTHER]);
});

async function problemsOf(work: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DecisionInputError);
  return [...(error as DecisionInputError).problems];
}

describe('the decision log', () => {
  it('creates, updates and lists actions, stamping the close and clearing it on reopening', async () => {
    const created = await createDecision(
      db.pool,
      PORTAL,
      {
        topic: '  Make amount required at proposal ',
        subject: { kind: 'finding', key: 'missing_field:amount' },
        owner: 'ana.ruiz@example.com',
        dueOn: '2026-11-20',
      },
      at('2026-11-09T10:00:00Z'),
    );
    expect(created).toEqual({
      id: expect.any(Number),
      topic: 'Make amount required at proposal',
      subject: { kind: 'finding', key: 'missing_field:amount' },
      owner: 'ana.ruiz@example.com',
      dueOn: '2026-11-20',
      status: 'open',
      outcome: null,
      createdAt: at('2026-11-09T10:00:00Z'),
      updatedAt: at('2026-11-09T10:00:00Z'),
      closedAt: null,
    });

    const done = await updateDecision(
      db.pool,
      PORTAL,
      String(created.id),
      { status: 'done', outcome: 'Required field added to the proposal stage' },
      at('2026-11-18T16:00:00Z'),
    );
    expect(done).toMatchObject({ status: 'done', closedAt: at('2026-11-18T16:00:00Z') });
    // Moving from done to dropped keeps the first close; reopening clears it.
    const dropped = await updateDecision(
      db.pool,
      PORTAL,
      created.id,
      { status: 'dropped' },
      at('2026-11-19T00:00:00Z'),
    );
    expect(dropped).toMatchObject({ status: 'dropped', closedAt: at('2026-11-18T16:00:00Z') });
    const reopened = await updateDecision(
      db.pool,
      PORTAL,
      created.id,
      { status: 'open', dueOn: '2026-12-01', outcome: null },
      at('2026-11-20T00:00:00Z'),
    );
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, outcome: null, dueOn: '2026-12-01' });

    await createDecision(
      db.pool,
      PORTAL,
      {
        topic: 'Accept a lower duplicate rate',
        subject: { kind: 'metric', key: 'duplicate_rate' },
        owner: 'ben.okafor@example.com',
        dueOn: '2026-11-15',
        status: 'dropped',
        outcome: 'Not worth it this quarter',
      },
      at('2026-11-10T00:00:00Z'),
    );
    expect((await listDecisions(db.pool, PORTAL)).map((d) => [d.topic, d.status])).toEqual([
      ['Make amount required at proposal', 'open'],
      ['Accept a lower duplicate rate', 'dropped'],
    ]);
    expect((await listDecisions(db.pool, PORTAL, { status: 'dropped' })).map((d) => d.owner)).toEqual([
      'ben.okafor@example.com',
    ]);
    expect(await listDecisions(db.pool, PORTAL, { subjectKind: 'finding', dueBy: '2026-11-30' })).toEqual([]);
    expect((await listDecisions(db.pool, PORTAL, { limit: '1' })).length).toBe(1);
    // Another portal sees none of it and can change none of it.
    expect(await listDecisions(db.pool, OTHER)).toEqual([]);
    await expect(updateDecision(db.pool, OTHER, created.id, { topic: 'x' }, new Date())).rejects.toThrow(
      DecisionNotFound,
    );
  });

  it('refuses bad input, naming each field and what is wrong with it', async () => {
    expect(
      await problemsOf(
        createDecision(
          db.pool,
          PORTAL,
          {
            topic: '',
            subject: { kind: 'rumour', key: 'x' },
            owner: 'ana',
            dueOn: '2026-02-30',
            colour: 'red',
          },
          new Date(),
        ),
      ),
    ).toEqual([
      { path: 'topic', message: 'must not be empty' },
      { path: 'subject.kind', message: expect.stringContaining('finding') },
      { path: 'dueOn', message: 'must be a date as YYYY-MM-DD' },
      { path: '', message: expect.stringContaining('colour') },
    ]);
    expect(
      await problemsOf(
        createDecision(
          db.pool,
          PORTAL,
          { topic: 'T', subject: { kind: 'metric', key: 'k' }, owner: 'o', dueOn: '2026-12-01', status: 'done' },
          new Date(),
        ),
      ),
    ).toEqual([{ path: 'outcome', message: 'is required when the status is done' }]);
    const open = await createDecision(
      db.pool,
      PORTAL,
      { topic: 'T', subject: { kind: 'metric', key: 'k' }, owner: 'o', dueOn: '2026-12-01' },
      new Date(),
    );
    expect(await problemsOf(updateDecision(db.pool, PORTAL, open.id, { status: 'dropped' }, new Date()))).toEqual([
      { path: 'outcome', message: 'is required when the status is dropped' },
    ]);
    expect(await problemsOf(updateDecision(db.pool, PORTAL, open.id, {}, new Date()))).toEqual([
      { path: '', message: 'names nothing to change' },
    ]);
    expect(await problemsOf(updateDecision(db.pool, PORTAL, 'abc', { topic: 'x' }, new Date()))).toEqual([
      { path: 'id', message: 'must be a decision id' },
    ]);
    expect(await problemsOf(listDecisions(db.pool, PORTAL, { status: 'closed' }))).toEqual([
      { path: 'status', message: expect.stringContaining('open') },
    ]);
    await expect(updateDecision(db.pool, PORTAL, 999_999, { topic: 'x' }, new Date())).rejects.toThrow(
      DecisionNotFound,
    );
  });

  it('computes Action Rate and Decision SLA of a period from the stored digests and actions', async () => {
    const digest = (week: string, generatedAt: string, items: { kind: 'finding' | 'metric'; key: string }[]) =>
      insertDigest(db.pool, OTHER, { week, generatedAt: at(generatedAt), definitionsVersion: 1, body: { items } }, []);
    await digest('2027-W02', '2027-01-11T07:00:00Z', [
      { kind: 'finding', key: 'missing_field:amount' },
      { kind: 'metric', key: 'sla_compliance:mql_follow_up' },
    ]);
    await digest('2027-W03', '2027-01-18T07:00:00Z', [
      { kind: 'finding', key: 'missing_field:amount' },
      { kind: 'finding', key: 'duplicate:1' },
    ]);
    const amount = await createDecision(
      db.pool,
      OTHER,
      { topic: 'Amounts', subject: { kind: 'finding', key: 'missing_field:amount' }, owner: 'a', dueOn: '2027-01-20' },
      at('2027-01-12T00:00:00Z'),
    );
    await updateDecision(db.pool, OTHER, amount.id, { status: 'done', outcome: 'Fixed' }, at('2027-01-20T18:00:00Z'));
    await createDecision(
      db.pool,
      OTHER,
      { topic: 'Dupes', subject: { kind: 'finding', key: 'duplicate:1' }, owner: 'b', dueOn: '2027-01-25' },
      at('2027-01-19T00:00:00Z'),
    );
    expect(
      await decisionKpis(
        db.pool,
        OTHER,
        at('2027-01-01T00:00:00Z'),
        at('2027-02-01T00:00:00Z'),
        at('2027-01-28T00:00:00Z'),
      ),
    ).toEqual({
      actionRate: { items: 3, actioned: 2, rate: 0.6667 },
      // Amounts closed on its due day; Dupes still open three days after its due day.
      decisionSla: { due: 2, metOnTime: 1, rate: 0.5 },
    });
    // The first portal's log does not leak into these figures, nor these into its.
    expect(
      (
        await decisionKpis(
          db.pool,
          PORTAL,
          at('2027-01-01T00:00:00Z'),
          at('2027-02-01T00:00:00Z'),
          at('2027-01-28T00:00:00Z'),
        )
      ).actionRate,
    ).toEqual({ items: 0, actioned: 0, rate: null });
  });
});
