import type { BenchResult } from './benchmark.ts';

/** Three significant digits (whole numbers above 100): enough to compare runs, short enough to read. */
export function formatValue(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

/**
 * A plain-text table: one row a case, one column a metric (the union over the cases, in first-seen
 * order), units in the header. A case without a metric shows a dash.
 */
export function resultsTable(results: readonly BenchResult[]): string {
  const columns: { name: string; unit: string }[] = [];
  for (const result of results) {
    for (const [name, metric] of Object.entries(result.metrics)) {
      if (!columns.some((c) => c.name === name)) columns.push({ name, unit: metric.unit });
    }
  }
  const header = ['case', ...columns.map((c) => (c.unit ? `${c.name} (${c.unit})` : c.name))];
  const cell = (r: BenchResult, name: string) => {
    const metric = r.metrics[name];
    return metric ? formatValue(metric.value) : '-';
  };
  const rows = results.map((r) => [r.case, ...columns.map((c) => cell(r, c.name))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
