import type { BaseContext } from '@hubspot/ui-extensions';

/**
 * How the cards show numbers and times: in the user's locale and the portal's time zone (falling back
 * to en-US and UTC when HubSpot gives none, or one this runtime does not know).
 */
export type Formatter = {
  dateTime(iso: string | null): string;
  date(iso: string | null): string;
  /** Cents of the deal's currency (the card API does not name it), with two decimals. */
  money(cents: number): string;
  percent(ratio: number | null): string;
  /** A whole count with the locale's grouping (48,210). */
  count(n: number): string;
};

export function formatterFor(context: BaseContext): Formatter {
  const locale = supportedLocale(context.user.locale);
  const timeZone = supportedTimeZone(context.portal.timezone);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const show = (format: Intl.DateTimeFormat, iso: string | null) => {
    if (iso === null) return '—';
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? iso : format.format(at);
  };
  return {
    dateTime: (iso) => show(dateTime, iso),
    date: (iso) => show(date, iso),
    money: (cents) => money.format(cents / 100),
    percent: (ratio) => (ratio === null ? '—' : `${Math.round(ratio * 100)}%`),
    count: (n) => count.format(n),
  };
}

function supportedLocale(locale: string | undefined): string {
  if (!locale) return 'en-US';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale])[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

function supportedTimeZone(timeZone: string | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
