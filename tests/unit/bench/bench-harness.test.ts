import { describe, expect, it } from 'vitest';
import { BenchmarkSchema, BenchResultSchema } from '../../bench/benchmark.ts';
import { machineInfo } from '../../bench/machine-info.ts';
import { formatValue, resultsTable } from '../../bench/results-table.ts';

describe('the benchmark modules', () => {
  it('follow the Benchmark contract (the fixture generator’s; others may need a database to import)', async () => {
    const module = (await import('../../bench/benchmarks/fixture-generator.bench.ts')) as { default: unknown };
    expect(BenchmarkSchema.parse(module.default).name).toBe('fixture-generator');
  });

  it('refuses a malformed benchmark or result', () => {
    expect(BenchmarkSchema.safeParse({ name: 'Fixture Gen', description: 'x', run: async () => [] }).success).toBe(
      false,
    );
    expect(BenchmarkSchema.safeParse({ name: 'fixture-gen', description: 'x', run: 'soon' }).success).toBe(false);
    expect(BenchmarkSchema.safeParse({ name: 'fixture-gen', description: 'x', run: async () => [] }).success).toBe(
      true,
    );
    const metric = { value: Number.NaN, unit: 's', better: 'lower' };
    expect(BenchResultSchema.safeParse({ case: '10k', metrics: { wall: metric } }).success).toBe(false);
  });
});

describe('resultsTable', () => {
  it('puts one case a row and one metric a column, with units, aligned', () => {
    const table = resultsTable([
      { case: '10k', metrics: { 'contacts/s': { value: 6166.5, unit: '', better: 'higher' }, wall: { value: 1.6234, unit: 's', better: 'lower' } } },
      { case: '100k', metrics: { wall: { value: 6.48, unit: 's', better: 'lower' }, rss: { value: 291, unit: 'MB', better: 'lower' } } },
    ]); // prettier-ignore
    expect(table.split('\n')).toEqual([
      'case  contacts/s  wall (s)  rss (MB)',
      '----  ----------  --------  --------',
      '10k        6,167      1.62         -',
      '100k           -      6.48       291',
    ]);
  });

  it('keeps three significant digits below 100', () => {
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(12.345)).toBe('12.3');
    expect(formatValue(1234.5)).toBe('1,235');
    expect(formatValue(7)).toBe('7');
  });
});

describe('machineInfo', () => {
  it('records the machine and the date a result was measured on', () => {
    const info = machineInfo(new Date('2026-11-23T12:00:00.000Z'));
    expect(info.date).toBe('2026-11-23T12:00:00.000Z');
    expect(info.cores).toBeGreaterThan(0);
    expect(info.memoryBytes).toBeGreaterThan(0);
    expect(info.node).toBe(process.version);
    expect(info.loadAverage).toHaveLength(3);
  });
});
