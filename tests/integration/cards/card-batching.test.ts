import { gzipSync } from 'node:zlib';
import { request } from 'node:http';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedCardReads } from '../../../server/cards/batched-reads.ts';
import { TicketCard } from '../../../server/cards/contracts/ticket.ts';
import { envelope } from '../../../server/cards/contracts/common.ts';
import type { Queryable } from '../../../server/db/pool.ts';
import { cardSnapshots, type CardSnapshotKey } from '../../../server/db/repositories/card-reads.ts';
import { appendDefinitionsVersion } from '../../../server/db/repositories/definitions.ts';
import { currentDefinitions } from '../../../server/definitions/current-definitions.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { addOtherPortalDeal, cardPortal, type CardPortal } from './helpers/card-portal.ts';
import { hubspotSignatureV3 } from './helpers/signed-card-client.ts';

/**
 * Card reads that arrive together share one statement (server/cards/read-batcher.ts). These tests hold
 * that to what a card must never notice: the answers are the ones each request gets alone, a record of
 * another portal in the same batch stays invisible, a write is seen by every read that starts after it,
 * and a change of definitions is honoured at once.
 */

const db = useTestDatabase();
let portal: CardPortal;

const OTHER_PORTAL = 9_990_002;
const OTHER_DEAL = 77_000_002;

beforeAll(async () => {
  portal = await cardPortal(db.pool, db.url);
  await addOtherPortalDeal(db.pool, OTHER_PORTAL, OTHER_DEAL);
});
afterAll(async () => {
  await portal?.close();
});

type Read = { path: string; body: object };

/** Every deal, ticket and contact of the portal, deals also with another model and kind. */
async function everyRead(): Promise<Read[]> {
  const ids = async (table: 'deals' | 'tickets' | 'contacts') =>
    (
      await db.pool.query<{ id: number }>(
        // One of the three fixed table names above.
        `SELECT id FROM ${table} WHERE portal_id = $1 ORDER BY id`,
        [portal.portalId],
      )
    ).rows.map((r) => r.id);
  return [
    ...(await ids('deals')).flatMap((id) => [
      { path: '/cards/v1/deal', body: portal.claims(id) },
      { path: '/cards/v1/deal', body: { ...portal.claims(id), model: 'w_shaped', kind: 'revenue' } },
    ]),
    ...(await ids('tickets')).map((id) => ({ path: '/cards/v1/ticket', body: portal.claims(id) })),
    ...(await ids('contacts')).map((id) => ({ path: '/cards/v1/contact', body: portal.claims(id) })),
  ];
}

const answerOf = async (read: Read) => {
  const answer = await portal.call(read);
  expect(answer.status).toBe(200);
  return JSON.stringify(answer.json);
};

describe('card reads that arrive together', () => {
  it('answer each exactly as it is answered alone', async () => {
    const reads = await everyRead();
    expect(reads.length).toBeGreaterThan(200);
    const together = () => Promise.all(reads.map(answerOf));
    // Answers depend on the clock (days in stage, SLAs): each answer read alone must equal the one
    // read together just before or just after it, whichever side of a day boundary it fell on.
    const before = await together();
    const alone: string[] = [];
    for (const read of reads) alone.push(await answerOf(read));
    const after = await together();
    for (const [i, answer] of alone.entries()) expect([before[i], after[i]]).toContain(answer);
    expect(alone.filter((a) => a.startsWith('{"ok":true')).length).toBe(reads.length);
  });

  it("keep another portal's record out of a batch it shares with this portal's", async () => {
    const mine = (await everyRead()).slice(0, 40);
    const answers = await Promise.all([
      ...mine.map(answerOf),
      answerOf({ path: '/cards/v1/deal', body: portal.claims(OTHER_DEAL) }),
    ]);
    const foreign = JSON.parse(answers.at(-1)!) as unknown;
    expect(foreign).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining(`no deal ${OTHER_DEAL}`) },
    });
    expect(answers.join('')).not.toContain('Other portal deal');
    expect(answers.slice(0, -1).every((a) => a.startsWith('{"ok":true'))).toBe(true);
  });

  it('refuse a model that is no model alone, without failing the reads sharing its batch', async () => {
    const mine = (await everyRead()).slice(0, 40);
    // A NUL is text Postgres cannot take: in a shared statement it would fail every read of the batch.
    const odd = { path: '/cards/v1/deal', body: { ...portal.claims(1235), model: 'first_touch\u0000' } };
    const answers = await Promise.all([answerOf(odd), ...mine.map(answerOf), answerOf(odd)]);
    for (const answer of [answers[0]!, answers.at(-1)!])
      expect(JSON.parse(answer)).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'model' } });
    expect(answers.slice(1, -1).every((a) => a.startsWith('{"ok":true'))).toBe(true);
  });

  it('see a write that was answered before they started, while other reads are in flight', async () => {
    const ticket = { path: '/cards/v1/ticket', body: portal.claims(1270) };
    const inFlight = Array.from({ length: 30 }, () => answerOf(ticket));
    const written = await portal.call({
      path: '/cards/v1/ticket/checklist',
      body: { ...portal.claims(1270), item: 'kickoff_scheduled', checked: true },
    });
    const itemOf = (json: unknown) =>
      (envelope(TicketCard).parse(json) as { ok: true; data: TicketCard }).data.checklists[0]!.items.find(
        (i) => i.id === 'kickoff_scheduled',
      )!;
    expect(itemOf(written.json).checked).toBe(true);
    const later = await Promise.all(Array.from({ length: 10 }, () => portal.call(ticket)));
    for (const answer of later) expect(itemOf(answer.json).checked).toBe(true);
    // The ones already in flight show the item either way, but always as a whole answer.
    for (const answer of await Promise.all(inFlight)) expect(answer.startsWith('{"ok":true')).toBe(true);
  });

  it('follow a new definitions version at once, even when it changes the default attribution model', async () => {
    // A deal whose first and last touches are of different channels, so the two models' credits differ.
    const dealId = (
      await db.pool.query<{ deal_id: number }>(
        `SELECT f.deal_id FROM attribution_credits f
           JOIN attribution_credits l ON l.portal_id = f.portal_id AND l.deal_id = f.deal_id
                                     AND l.model = 'last_touch' AND l.kind = 'pipeline'
          WHERE f.portal_id = $1 AND f.model = 'first_touch' AND f.kind = 'pipeline' AND f.channel <> l.channel
          ORDER BY f.deal_id LIMIT 1`,
        [portal.portalId],
      )
    ).rows[0]!.deal_id;
    const deal = { path: '/cards/v1/deal', body: portal.claims(dealId) };
    // Read first, so the server's cached definitions name first_touch as the default model.
    expect(JSON.parse(await answerOf(deal))).toMatchObject({
      ok: true,
      data: { attribution: { model: 'first_touch' } },
    });

    const { definitions } = await currentDefinitions(db.pool, portal.portalId);
    const changed = {
      ...definitions,
      attribution: {
        ...definitions.attribution,
        models: definitions.attribution.models.map((m) => (m.id === 'first_touch' ? { ...m, enabled: false } : m)),
      },
    };
    await appendDefinitionsVersion(db.pool, portal.portalId, {
      document: changed,
      author: 'test',
      reason: 'first touch off',
      diff: {},
    });
    const card = JSON.parse(await answerOf(deal)) as {
      data: { attribution: { model: string; byChannel: { channel: string; cents: number }[] } };
    };
    expect(card.data.attribution.model).toBe('last_touch');
    const { rows } = await db.pool.query<{ channel: string; cents: number }>(
      `SELECT channel, sum(cents)::bigint AS cents FROM attribution_credits
        WHERE portal_id = $1 AND deal_id = $2 AND model = 'last_touch' AND kind = 'pipeline' GROUP BY channel`,
      [portal.portalId, dealId],
    );
    expect(new Map(card.data.attribution.byChannel.map((c) => [c.channel, c.cents]))).toEqual(
      new Map(rows.map((r) => [r.channel, r.cents])),
    );
  });
});

describe('the batched reads', () => {
  const keysOf = async (): Promise<CardSnapshotKey[]> =>
    (
      await db.pool.query<{ id: number }>(`SELECT id FROM contacts WHERE portal_id = $1 ORDER BY id LIMIT 100`, [
        portal.portalId,
      ])
    ).rows.map((r) => ({ portalId: portal.portalId, objectType: 'contacts', objectId: r.id }));

  it('read what arrives in one turn of the event loop in as few statements as the batch size allows', async () => {
    const statements: string[] = [];
    const counting: Queryable = {
      query: ((config: { name?: string }, values?: unknown[]) => {
        statements.push(config.name ?? 'unnamed');
        return (db.pool as pg.Pool).query(config as never, values as never);
      }) as Queryable['query'],
    };
    const reads = batchedCardReads(counting);
    const keys = await keysOf();
    const together = await Promise.all(keys.map((key) => reads.snapshot(key)));
    // 100 reads, 64 a statement at most.
    expect(statements).toEqual(['card-snapshots', 'card-snapshots']);
    const alone = await cardSnapshots(db.pool, keys, { newestTouches: 20, emailPeers: 51 });
    expect(together).toEqual(alone);
  });

  it('fail every read of a batch whose statement fails, and read again afterwards', async () => {
    let fail = true;
    const flaky: Queryable = {
      query: ((config: never, values: never) =>
        fail ? Promise.reject(new Error('connection lost')) : db.pool.query(config, values)) as Queryable['query'],
    };
    const reads = batchedCardReads(flaky);
    const keys = (await keysOf()).slice(0, 10);
    const failed = await Promise.allSettled(keys.map((key) => reads.snapshot(key)));
    expect(failed.map((f) => f.status)).toEqual(keys.map(() => 'rejected'));
    fail = false;
    const read = await Promise.all(keys.map((key) => reads.snapshot(key)));
    expect(read.map((s) => s?.status)).toEqual(keys.map(() => 'installed'));
  });
});

describe('card request bodies', () => {
  const send = (options: {
    path: string;
    body: Buffer;
    signedBody?: string;
    headers?: Record<string, string>;
    chunked?: boolean;
  }): Promise<{ status: number; text: string }> => {
    const url = new URL(portal.app.url);
    const timestamp = Date.now();
    const signature = hubspotSignatureV3(
      portal.app.env.HUBSPOT_CLIENT_SECRET,
      'POST',
      `${portal.app.url}${options.path}`,
      options.signedBody ?? options.body.toString('utf8'),
      timestamp,
    );
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: options.path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hubspot-signature-v3': signature,
            'x-hubspot-request-timestamp': String(timestamp),
            ...(options.chunked ? {} : { 'content-length': String(options.body.length) }),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.once('error', reject);
      if (options.chunked) {
        // Two writes without a Content-Length: Transfer-Encoding: chunked.
        req.write(options.body.subarray(0, 10));
        req.end(options.body.subarray(10));
      } else req.end(options.body);
    });
  };
  const json = (value: object) => Buffer.from(JSON.stringify(value), 'utf8');

  it('take a chunked body and a gzip-compressed one as express does (the signature covers the JSON)', async () => {
    const body = json(portal.claims(1270));
    const chunked = await send({ path: '/cards/v1/ticket', body, chunked: true });
    expect(chunked.status).toBe(200);
    expect(chunked.text.startsWith('{"ok":true')).toBe(true);
    const gzipped = await send({
      path: '/cards/v1/ticket',
      body: gzipSync(body),
      signedBody: body.toString('utf8'),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(gzipped.status).toBe(200);
    expect(gzipped.text.startsWith('{"ok":true')).toBe(true);
  });

  it('refuse a body over 64 kB with 413, before reading it', async () => {
    const answer = await send({
      path: '/cards/v1/ticket',
      body: json({ ...portal.claims(1270), padding: 'x'.repeat(70_000) }),
    });
    expect(answer.status).toBe(413);
  });

  it('match the endpoints as express matches routes: in any case, with or without a trailing slash', async () => {
    for (const path of ['/cards/v1/ticket/', '/Cards/V1/Ticket']) {
      const answer = await send({ path, body: json(portal.claims(1270)) });
      expect(answer.status).toBe(200);
      expect(answer.text.startsWith('{"ok":true')).toBe(true);
    }
    const unknown = await send({ path: '/cards/v1/tickets', body: json(portal.claims(1270)) });
    expect(unknown.status).toBe(404);
  });
});
