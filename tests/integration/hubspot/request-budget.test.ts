import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../server/hubspot/request-budget.ts';
import { uniquePrefix, useRedis } from '../../helpers/redis.ts';

const redis = useRedis();

describe('RequestBudget', () => {
  it('never admits more than max requests in any window, across independent connections', async () => {
    const limits = { standard: { max: 5, windowMs: 300 }, search: { max: 2, windowMs: 200 } };
    const keyPrefix = uniquePrefix('budget');
    // Three connections stand for three worker processes sharing one portal's budget.
    const budgets = [0, 1, 2].map(() => new RequestBudget(redis.connect(), { limits, keyPrefix, guardMs: 20 }));
    const admitted: number[] = [];
    await Promise.all(
      budgets.flatMap((budget) =>
        Array.from({ length: 8 }, async () => {
          await budget.acquire(1, 'standard');
          admitted.push(Date.now());
        }),
      ),
    );
    admitted.sort((a, b) => a - b);
    expect(admitted).toHaveLength(24);
    for (let i = 0; i + 5 < admitted.length; i++) {
      expect(admitted[i + 5]! - admitted[i]!).toBeGreaterThanOrEqual(300);
    }
    // Paced, not starved: 24 requests at 5 per ~320 ms take about 4–5 windows.
    expect(admitted.at(-1)! - admitted[0]!).toBeLessThan(6 * 320);
  });

  it('keeps portals and classes apart', async () => {
    const limits = { standard: { max: 2, windowMs: 5_000 }, search: { max: 1, windowMs: 5_000 } };
    const budget = new RequestBudget(redis.connect(), { limits, keyPrefix: uniquePrefix('budget') });
    const started = Date.now();
    await budget.acquire(1, 'standard');
    await budget.acquire(1, 'standard');
    await budget.acquire(1, 'search');
    await budget.acquire(2, 'standard');
    await budget.acquire(2, 'search');
    expect(Date.now() - started).toBeLessThan(1_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up')), 100);
    await expect(budget.acquire(1, 'standard', controller.signal)).rejects.toThrow('gave up');
  });

  it('holds every caller during a pause', async () => {
    const limits = { standard: { max: 100, windowMs: 1_000 }, search: { max: 5, windowMs: 1_000 } };
    const keyPrefix = uniquePrefix('budget');
    const a = new RequestBudget(redis.connect(), { limits, keyPrefix });
    const b = new RequestBudget(redis.connect(), { limits, keyPrefix });
    await a.pause(7, 'standard', 250);
    const started = Date.now();
    await b.acquire(7, 'standard');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await b.acquire(8, 'standard');
  });
});
