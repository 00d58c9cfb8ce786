import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateFixture } from '../../bench/fixture-generator.ts';
import { EVERYTHING, planBlock } from '../../bench/generator/plan-block.ts';
import type { PlanContext } from '../../bench/generator/plan-context.ts';
import { generateText } from './generate-text.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

// Generating a few thousand contacts takes seconds on a busy machine; the default 5 s is too tight.
describe('fixture generation', { timeout: 60_000 }, () => {
  it('gives the same bytes for the same seed, and other bytes for another seed', async () => {
    const a = await generateText({ contacts: 2000, seed: 7 });
    const b = await generateText({ contacts: 2000, seed: 7 });
    const c = await generateText({ contacts: 2000, seed: 8 });
    expect(sha(a.text)).toBe(sha(b.text));
    expect(sha(c.text)).not.toBe(sha(a.text));
    expect(c.counts.contacts).toBe(a.counts.contacts);
  });

  it('follows `now` and `portalId`', async () => {
    const { text } = await generateText({ contacts: 50, seed: 7, now: '2030-01-15T12:00:00.000Z', portalId: 42 });
    const fixture = JSON.parse(text) as {
      portalId: number;
      now: string;
      objects: { contacts: { createdAt: string }[] };
    };
    expect(fixture.portalId).toBe(42);
    expect(fixture.now).toBe('2030-01-15T12:00:00.000Z');
    expect(
      fixture.objects.contacts.every((c) => c.createdAt < '2030-01-15T12:00:00.000Z' && c.createdAt > '2028-09'),
    ).toBe(true);
  });

  it('writes the same bytes through a sink that pushes back, in chunks of about 64 KiB', async () => {
    const direct = await generateText({ contacts: 1500, seed: 3 });
    const chunks: string[] = [];
    let waits = 0;
    await generateFixture({ contacts: 1500, seed: 3 }, async (chunk) => {
      chunks.push(chunk);
      waits++;
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(chunks.join('')).toBe(direct.text);
    expect(waits).toBe(chunks.length);
    expect(chunks.length).toBeGreaterThan(10);
    // Every chunk but the last is one buffer's worth: at least 64 KiB, at most that plus one record.
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(1 << 16);
      expect(chunk.length).toBeLessThan((1 << 16) + 20_000);
    }
  });

  it('plans a block identically whatever else is planned with it (what lets each section re-plan it)', () => {
    const ctx: PlanContext = {
      seed: 5,
      now: Date.parse('2026-11-01T00:00:00.000Z'),
      contacts: 2500,
      ownerIds: ['501', '502'],
    };
    const full = planBlock(ctx, 1, EVERYTHING);
    const contactsOnly = planBlock(ctx, 1, { contacts: true, events: false, deals: false });
    const companiesOnly = planBlock(ctx, 1, { contacts: false, events: false, deals: false });
    const withoutEvents = full.contacts.map((c) => ({ ...c, events: [], touch: undefined }));
    expect(contactsOnly.contacts.map((c) => ({ ...c, touch: undefined }))).toEqual(withoutEvents);
    expect(companiesOnly.companies).toEqual(full.companies);
    expect(planBlock(ctx, 1, { contacts: true, events: false, deals: true }).deals).toEqual(full.deals);
    expect(planBlock(ctx, 1, { contacts: true, events: true, deals: false }).contacts).toEqual(full.contacts);
    expect(full.contacts.length).toBe(1000);
    expect(planBlock(ctx, 2, EVERYTHING).contacts.length).toBe(500);
  });

  it('refuses options outside its contract', async () => {
    const sink = () => undefined;
    await expect(generateFixture({ contacts: 0, seed: 1 }, sink)).rejects.toThrow();
    await expect(generateFixture({ contacts: 10, seed: 1.5 }, sink)).rejects.toThrow();
    await expect(generateFixture({ contacts: 10, seed: 1, now: 'yesterday' }, sink)).rejects.toThrow();
  });
});
