import { html, type Html } from './html.ts';

/**
 * Charts as inline SVG rendered on the server: nothing to load, nothing fetched, readable without
 * script. A horizontal bar per row, scaled to the largest value (or a given maximum, e.g. 1 for
 * shares); each bar carries its value in `data-value` and links to its records when it has any.
 */
export type Bar = { label: string; value: number | null; text: string; href?: string | undefined };

const WIDTH = 760;
const LABEL = 240;
const BAR_AREA = 380;
const ROW = 28;

export function barChart(options: { id: string; title: string; bars: readonly Bar[]; max?: number }): Html {
  if (options.bars.length === 0)
    return html`<p class="empty" id="${options.id}">No data for ${options.title.toLowerCase()} with these filters.</p>`;
  const max = options.max ?? Math.max(...options.bars.map((b) => b.value ?? 0), 0);
  const height = options.bars.length * ROW + 8;
  const rows = options.bars.map((bar, i) => {
    const y = i * ROW + 4;
    const width = max > 0 && bar.value !== null ? Math.max((bar.value / max) * BAR_AREA, bar.value > 0 ? 2 : 0) : 0;
    const shape = html`<rect x="${LABEL}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 10}" rx="2"></rect>`;
    return html`<g class="bar" data-label="${bar.label}" data-value="${bar.value === null ? '' : String(bar.value)}">
      <text class="label" x="${LABEL - 8}" y="${y + ROW / 2 + 2}" text-anchor="end">${bar.label}</text>
      ${bar.href ? html`<a href="${bar.href}">${shape}</a>` : shape}
      <text class="value" x="${LABEL + width + 6}" y="${y + ROW / 2 + 2}">${bar.text}</text></g
    >`;
  });
  return html`<figure class="chart">
    <svg
      id="${options.id}"
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      viewBox="0 0 ${WIDTH} ${height}"
      width="${WIDTH}"
      height="${height}"
      aria-label="${options.title}"
    >
      <title>${options.title}</title>
      ${rows}
    </svg>
  </figure>`;
}
