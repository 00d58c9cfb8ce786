import { Histogram } from 'prom-client';
import type { HistogramSeries } from './job-timings.ts';

/**
 * A Prometheus histogram whose counts are aggregated elsewhere (in Redis, by every worker process):
 * `set` replaces them before a scrape and the registry reads them in prom-client's form. prom-client's own
 * Histogram only counts observations made in this process.
 */
export class SharedHistogram<T extends string> extends Histogram<T> {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  #series: HistogramSeries[] = [];

  constructor(config: { name: string; help: string; labelNames: readonly T[]; buckets: readonly number[] }) {
    super({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames,
      buckets: [...config.buckets],
      registers: [],
    });
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = config.buckets;
  }

  set(series: HistogramSeries[]): void {
    this.#series = series;
  }

  /** What prom-client's registry (and the base class's `get`) read to report a histogram. */
  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: 'sum';
    values: { metricName: string; labels: Record<string, string | number>; value: number }[];
  }> {
    const values = this.#series.flatMap(({ labels, buckets, count, sum }) => {
      let cumulative = 0;
      const bucketValues = this.#bounds.map((bound, i) => {
        cumulative += buckets[i] ?? 0;
        return { metricName: `${this.#name}_bucket`, labels: { ...labels, le: bound }, value: cumulative };
      });
      return [
        ...bucketValues,
        { metricName: `${this.#name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count },
        { metricName: `${this.#name}_sum`, labels, value: sum },
        { metricName: `${this.#name}_count`, labels, value: count },
      ];
    });
    return { name: this.#name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
  }
}
