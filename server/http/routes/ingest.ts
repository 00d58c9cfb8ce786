import express, { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { z } from 'zod';
import { withTransaction } from '../../db/pool.ts';
import { insertIngestedTouches, upsertAdSpend } from '../../db/repositories/ingest.ts';
import { authenticateApiKey } from '../../ingest/api-key.ts';
import { rowProblems, semanticProblems, SpendBatch, TouchBatch, type RowProblem } from '../../ingest/batches.ts';
import { governedChannels } from '../../ingest/governed-channels.ts';

export type IngestRouteDeps = {
  db: pg.Pool;
  redis: Redis;
  redisPrefix: string;
  /** Requests per key per window; beyond it, 429 until the window turns. */
  rateLimit: { max: number; windowMs: number };
};

/**
 * The ingest API: offline touches and monthly ad spend, sent by a portal's own systems with a
 * per-portal API key (`Authorization: Bearer clk_…`). JSON bodies up to 1 MB and 5,000 rows; a batch is
 * stored whole or not at all; replays change nothing.
 */
export function ingestRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  router.use('/ingest/v1', express.json({ limit: '1mb' }));

  router.post('/ingest/v1/touches', async (req, res) => {
    const caller = await admit(deps, req, res);
    if (!caller) return;
    const batch = parseBatch(TouchBatch, req, res, caller.portalId);
    if (!batch) return;
    const touches = batch.touches;
    if (!(await checkChannels(deps, res, caller.portalId, touches))) return;
    const stored = await withTransaction(deps.db, (tx) =>
      insertIngestedTouches(
        tx,
        caller.portalId,
        touches.map((t) => ({
          id: t.id,
          occurredAt: t.occurredAt,
          channel: t.channel,
          campaignId: t.campaignId,
          offerId: t.offerId,
          contentId: t.contentId,
          contactId: t.contactId === undefined ? null : Number(t.contactId),
          contactEmail: t.contactEmail ?? null,
        })),
      ),
    );
    res.json({ ok: true, data: { received: touches.length, stored, alreadyStored: touches.length - stored } });
  });

  router.post('/ingest/v1/spend', async (req, res) => {
    const caller = await admit(deps, req, res);
    if (!caller) return;
    const batch = parseBatch(SpendBatch, req, res, caller.portalId);
    if (!batch) return;
    const spend = batch.spend;
    if (!(await checkChannels(deps, res, caller.portalId, spend))) return;
    const stored = await withTransaction(deps.db, (tx) => upsertAdSpend(tx, caller.portalId, spend));
    res.json({ ok: true, data: { received: spend.length, stored } });
  });

  return router;
}

async function admit(deps: IngestRouteDeps, req: Request, res: Response): Promise<{ portalId: number } | undefined> {
  const bearer = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
  const caller = await authenticateApiKey(deps.db, bearer);
  if (!caller) {
    res
      .status(401)
      .json({ ok: false, error: { message: 'a valid ingest API key is required (Authorization: Bearer clk_…)' } });
    return undefined;
  }
  // A fixed window per key in Redis, shared by every server process.
  const window = Math.floor(Date.now() / deps.rateLimit.windowMs);
  const key = `${deps.redisPrefix}:ingest-rate:${caller.keyId}:${window}`;
  const [[, count]] = (await deps.redis.multi().incr(key).pexpire(key, deps.rateLimit.windowMs).exec()) as [
    [null, number],
  ];
  if (count > deps.rateLimit.max) {
    res.setHeader('Retry-After', String(Math.ceil(deps.rateLimit.windowMs / 1000)));
    res.status(429).json({
      ok: false,
      error: { message: `at most ${deps.rateLimit.max} requests per ${deps.rateLimit.windowMs / 1000} s per key` },
    });
    return undefined;
  }
  return caller;
}

function parseBatch<S extends z.ZodType>(
  schema: S,
  req: Request,
  res: Response,
  portalId: number,
): z.output<S> | undefined {
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) {
    refuse(res, 400, rowProblems(parsed.error));
    return undefined;
  }
  const claimed = (parsed.data as { portalId?: number }).portalId;
  if (claimed !== undefined && claimed !== portalId) {
    res.status(403).json({ ok: false, error: { message: `this key belongs to portal ${portalId}, not ${claimed}` } });
    return undefined;
  }
  return parsed.data;
}

async function checkChannels(
  deps: IngestRouteDeps,
  res: Response,
  portalId: number,
  rows: { id?: string | undefined; channel: string }[],
): Promise<boolean> {
  const problems = semanticProblems(rows, await governedChannels(deps.db, portalId));
  if (problems.length === 0) return true;
  refuse(res, 400, problems);
  return false;
}

function refuse(res: Response, status: number, problems: RowProblem[]): void {
  const rows = new Set(problems.map((p) => p.index).filter((i) => i !== null)).size;
  res.status(status).json({
    ok: false,
    error: {
      message: rows > 0 ? `${rows} row(s) are invalid; nothing was stored` : 'the batch is invalid; nothing was stored',
      problems,
    },
  });
}
