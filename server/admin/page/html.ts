/**
 * HTML built from tagged templates: every interpolated value is escaped unless it is already `Html`
 * (built the same way), so a HubSpot value or a finding's text can never become markup.
 */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A percentage from a 0–1 share, or a dash when there is no base. */
export function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`;
}

export function dollars(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
}

export function numberOrDash(value: number | null, digits = 1): string {
  return value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** An id safe to use in an HTML id attribute from any label (channels may hold anything). */
export function slugId(prefix: string, label: string | null): string {
  const slug = (label ?? 'none').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return `${prefix}-${slug}`;
}
