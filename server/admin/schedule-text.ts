import type { Cadence } from '../queue/job-schedules.ts';

const WEEKDAYS = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];
const QUARTER_STARTS = '1,4,7,10';

/**
 * A loop's schedule in words, read from the cadence the loop is really scheduled with
 * (server/loops/cadence.ts), so the two cannot drift apart. The cron shapes the loops use are put into
 * words (daily, weekly, monthly, quarterly at a UTC time); any other pattern is shown as it is.
 */
export function scheduleText(cadence: Cadence): string {
  if ('everyMs' in cadence) return everyText(cadence.everyMs);
  const fields = cadence.cron.trim().split(/\s+/);
  const [minute, hour, day, month, weekday] = fields;
  const time = clockTime(minute, hour);
  if (fields.length !== 5 || time === undefined) return `Cron ${cadence.cron} (UTC)`;
  if (day === '*' && month === '*' && weekday === '*') return `Daily at ${time}`;
  if (day === '*' && month === '*' && /^[0-6]$/.test(weekday!)) return `${WEEKDAYS[Number(weekday)]} at ${time}`;
  if (day === '1' && month === '*' && weekday === '*') return `The 1st of each month at ${time}`;
  if (day === '1' && month === QUARTER_STARTS && weekday === '*') return `The first day of each quarter at ${time}`;
  return `Cron ${cadence.cron} (UTC)`;
}

function everyText(ms: number): string {
  const minutes = ms / 60_000;
  if (Number.isInteger(minutes) && minutes % 60 === 0)
    return minutes === 60 ? 'Every hour' : `Every ${minutes / 60} hours`;
  if (Number.isInteger(minutes)) return minutes === 1 ? 'Every minute' : `Every ${minutes} minutes`;
  return `Every ${Math.round(ms / 1000)} seconds`;
}

function clockTime(minute: string | undefined, hour: string | undefined): string | undefined {
  if (!minute || !hour || !/^\d{1,2}$/.test(minute) || !/^\d{1,2}$/.test(hour)) return undefined;
  const m = Number(minute);
  const h = Number(hour);
  if (m > 59 || h > 23) return undefined;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')} UTC`;
}
