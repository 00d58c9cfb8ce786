/**
 * The demo as a list of named stages run in order. Each prints when it starts and what it did; the
 * first that fails stops the run with its name and reason, so the exit code never claims more than
 * what really ran.
 */
export type StageResult = { summary: string };
export type Stage<C> = { name: string; run: (context: C, progress: (line: string) => void) => Promise<StageResult> };

export type StagesOutcome =
  | { ok: true; results: { name: string; summary: string; ms: number }[] }
  | {
      ok: false;
      results: { name: string; summary: string; ms: number }[];
      failedStage: string;
      reason: string;
    };

export async function runStages<C>(
  stages: Stage<C>[],
  context: C,
  print: (line: string) => void,
): Promise<StagesOutcome> {
  const results: { name: string; summary: string; ms: number }[] = [];
  for (const [index, stage] of stages.entries()) {
    const started = performance.now();
    print(`[${index + 1}/${stages.length}] ${stage.name} …`);
    try {
      const { summary } = await stage.run(context, (line) => print(`      ${line}`));
      const ms = Math.round(performance.now() - started);
      results.push({ name: stage.name, summary, ms });
      print(`      ✓ ${summary} (${ms} ms)`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      print(`      ✗ ${reason}`);
      return { ok: false, results, failedStage: stage.name, reason };
    }
  }
  return { ok: true, results };
}
