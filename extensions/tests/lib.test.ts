/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CrmContext } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { CLOSED_LOOP_BASE_URL } from '../lib/base-url.ts';
import { recordClaims } from '../lib/claims.ts';
import { formatterFor } from '../lib/format.ts';
import { crmContext } from './helpers/context.ts';

function context(change: (c: CrmContext) => CrmContext = (c) => c): CrmContext {
  return change(crmContext(createRenderer('crm.record.tab').mocks.context, 1235, '0-3'));
}

describe('the backend the extensions call', () => {
  it('is the PUBLIC_BASE_URL the upload profile permits hubspot.fetch to reach', () => {
    const profile = JSON.parse(
      readFileSync(new URL('../../app/src/hsprofile.production.json', import.meta.url), 'utf8'),
    ) as { variables: { PUBLIC_BASE_URL: string } };
    expect(CLOSED_LOOP_BASE_URL).toBe(profile.variables.PUBLIC_BASE_URL);
    expect(new URL(CLOSED_LOOP_BASE_URL).protocol).toBe('https:');
  });
});

describe('recordClaims', () => {
  it('sends the portal, user, email and record ids of the context', () => {
    expect(recordClaims(context())).toEqual({
      portalId: 4242,
      userId: 77,
      userEmail: 'rep@example.com',
      objectId: 1235,
    });
  });

  it('leaves out an email the backend would refuse rather than have the request refused', () => {
    const noEmail = context((c) => ({ ...c, user: { ...c.user, email: '' } }));
    expect(recordClaims(noEmail)).toEqual({ portalId: 4242, userId: 77, objectId: 1235 });
    const long = context((c) => ({ ...c, user: { ...c.user, email: `${'a'.repeat(250)}@x.io` } }));
    expect(recordClaims(long)).not.toHaveProperty('userEmail');
  });
});

describe('formatterFor', () => {
  it("shows times in the portal's time zone and the user's locale, money with two decimals", () => {
    const berlin = formatterFor(context((c) => ({ ...c, portal: { ...c.portal, timezone: 'Europe/Berlin' } })));
    expect(berlin.dateTime('2026-10-11T15:00:00.000Z')).toMatch(/^Oct 11, 2026, 5:00\sPM$/);
    expect(berlin.date('2026-10-11T23:30:00.000Z')).toBe('Oct 12, 2026');
    expect(berlin.money(123_456_789)).toBe('1,234,567.89');
    expect(berlin.percent(0.756)).toBe('76%');
    expect(berlin.percent(null)).toBe('—');
    const german = formatterFor(context((c) => ({ ...c, user: { ...c.user, locale: 'de-DE' } })));
    expect(german.money(123_456)).toBe('1.234,56');
  });

  it('falls back to UTC for a time zone it does not know, and shows an unreadable time as sent', () => {
    const unknown = formatterFor(context((c) => ({ ...c, portal: { ...c.portal, timezone: 'Mars/Olympus' } })));
    expect(unknown.dateTime('2026-10-11T15:00:00.000Z')).toMatch(/^Oct 11, 2026, 3:00\sPM$/);
    expect(unknown.dateTime('not a date')).toBe('not a date');
    expect(unknown.dateTime(null)).toBe('—');
  });
});
