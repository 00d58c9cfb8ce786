import { currentDefinitions } from '../definitions/current-definitions.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { listCredits } from '../db/repositories/attribution.ts';
import { listFindings } from '../db/repositories/findings.ts';
import { slaOutcomes, stagedRecord } from '../domain/hygiene/index.ts';
import { funnel, kpis, type EvaluatedForKpis, type StageFunnel } from '../domain/metrics/index.ts';
import type { CrmObject } from '../domain/policy/index.ts';
import { loadRecords, nextRecordIds } from '../hygiene/load-records.ts';
import type { WriteBackReport } from '../writeback/write-back.ts';

/**
 * The demo's output files (the demo contract): portal.json, findings.jsonl, credits.jsonl and
 * report.json, every list in a fixed order so the same fixture gives the same files (but for
 * `generatedAt`).
 */
export async function writeDemoOutputs(input: {
  db: pg.Pool;
  portalId: number;
  now: Date;
  outDir: string;
  portalJson: string;
  writeBack: WriteBackReport;
}): Promise<{ findings: number; credits: number }> {
  const { db, portalId } = input;
  await mkdir(input.outDir, { recursive: true });
  const findings = await listFindings(db, portalId, { open: true });
  const credits = await listCredits(db, portalId);
  await writeFile(path.join(input.outDir, 'portal.json'), input.portalJson);
  await writeFile(
    path.join(input.outDir, 'findings.jsonl'),
    findings
      .map((f) =>
        JSON.stringify({
          objectType: f.objectType,
          objectId: String(f.objectId),
          code: f.code,
          ...(f.field ? { field: f.field } : {}),
          proposedFix: f.proposedFix,
          ...(f.ownerEmail ? { owner: f.ownerEmail } : {}),
        }),
      )
      .map((line) => `${line}\n`)
      .join(''),
  );
  await writeFile(
    path.join(input.outDir, 'credits.jsonl'),
    credits
      .map((c) =>
        JSON.stringify({
          dealId: String(c.dealId),
          model: c.model,
          kind: c.kind,
          touchId: c.touchId,
          channel: c.channel,
          campaignId: c.campaignId,
          cents: c.cents,
        }),
      )
      .map((line) => `${line}\n`)
      .join(''),
  );
  const report = await buildReport(
    input,
    findings.map((f) => ({ objectType: f.objectType, objectId: f.objectId, code: f.code })),
    credits,
  );
  await writeFile(path.join(input.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { findings: findings.length, credits: credits.length };
}

async function buildReport(
  input: { db: pg.Pool; portalId: number; now: Date; writeBack: WriteBackReport },
  findings: { objectType: string; objectId: number; code: string }[],
  credits: { model: string; kind: string; channel: string; cents: number }[],
) {
  const { db, portalId } = input;
  const latest = await currentDefinitions(db, portalId);
  const definitions = latest.definitions;

  const codesOf = new Map<string, string[]>();
  for (const f of findings)
    codesOf.set(`${f.objectType}:${f.objectId}`, [...(codesOf.get(`${f.objectType}:${f.objectId}`) ?? []), f.code]);
  const evaluated: EvaluatedForKpis[] = [];
  const funnels: Record<string, StageFunnel[]> = {};
  const synced: Record<string, number> = {};
  for (const object of ['contact', 'company', 'deal', 'ticket'] as CrmObject[]) {
    const entered: ReadonlyMap<string, number>[] = [];
    let count = 0;
    for (let afterId = 0; ;) {
      const ids = await nextRecordIds(db, portalId, object, afterId, 1_000);
      if (ids.length === 0) break;
      afterId = ids.at(-1)!;
      for (const record of await loadRecords(db, portalId, object, ids)) {
        count++;
        const staged = stagedRecord(record, definitions, input.now.getTime());
        if (staged) entered.push(staged.entered);
        const rule = definitions.duplicates.find((d) => d.object === object);
        evaluated.push({
          objectType: object,
          inScope: staged !== undefined,
          codes: codesOf.get(`${object}:${record.id}`) ?? [],
          duplicateKeyed: rule !== undefined && (record.properties[rule.property] ?? '').trim() !== '',
          slas: staged ? slaOutcomes(staged) : [],
          ownerId: record.ownerId,
        });
      }
    }
    synced[object] = count;
    if (object !== 'company') funnels[object] = funnel(definitions.stages[object].order[0] ?? [], entered);
  }

  const touches = (
    await db.query<{ total: number; trackable: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE trackable)::int AS trackable FROM touches WHERE portal_id = $1`,
      [portalId],
    )
  ).rows[0] ?? { total: 0, trackable: 0 };
  const run = (
    await db.query<{ api_calls: number; rate_limited: number }>(
      `SELECT api_calls, rate_limited FROM sync_runs WHERE portal_id = $1 AND kind = 'full' ORDER BY id DESC LIMIT 1`,
      [portalId],
    )
  ).rows[0];
  const associations =
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM associations WHERE portal_id = $1`, [portalId]))
      .rows[0]?.n ?? 0;

  const attribution: Record<string, Record<string, Record<string, number>>> = {};
  for (const c of credits) {
    const byKind = (attribution[c.model] ??= { pipeline: {}, revenue: {} });
    const byChannel = (byKind[c.kind] ??= {});
    byChannel[c.channel] = (byChannel[c.channel] ?? 0) + c.cents;
  }
  const findingCounts: Record<string, number> = {};
  for (const f of findings) findingCounts[f.code] = (findingCounts[f.code] ?? 0) + 1;

  return {
    kpis: kpis(
      evaluated,
      touches,
      definitions.slas.map((sla) => sla.id),
    ),
    funnel: funnels,
    velocity: Object.fromEntries(
      Object.entries(funnels).map(([object, stages]) => [
        object,
        Object.fromEntries(stages.map((s) => [s.stage, { medianDays: s.medianDays, p75Days: s.p75Days }])),
      ]),
    ),
    attribution: sortKeys(attribution),
    findings: sortKeys(findingCounts),
    sync: { records: synced, associations, apiCalls: run?.api_calls ?? 0, rateLimited: run?.rate_limited ?? 0 },
    writeBack: { calls: input.writeBack.calls, records: sortKeys(input.writeBack.records) },
    definitionsVersion: latest.version,
    generatedAt: new Date().toISOString(),
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
