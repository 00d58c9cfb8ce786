import { describe, expect, it } from 'vitest';
import {
  evaluatePortal,
  evaluateRecord,
  findDuplicates,
  type RecordInput,
} from '../../../server/domain/hygiene/index.ts';
import { D, edited, NOW, record } from './builders.ts';

/** Section 4, the two duplicate rows: set-wise over the portal, survivor the lowest numeric id. */
const contact = (id: string, email: string | null, lifecyclestage = 'lead') =>
  record('contact', { email, lifecyclestage, hs_lifecyclestage_lead_date: '2026-10-01T00:00:00.000Z' }, { id });
const company = (id: string, domain: string | null) => record('company', { domain, name: `Company ${id}` }, { id });

function byId(records: RecordInput[], definitions = D) {
  return new Map(evaluatePortal(records, definitions, NOW).map((r) => [`${r.objectType}:${r.objectId}`, r]));
}

describe('section 4: duplicate contact', () => {
  const group = [
    contact('1000', 'Ana@Example.com'),
    contact('999', '  ana@example.COM '),
    contact('1001', 'ana@example.com'),
  ];

  it('passes for contacts whose emails differ', () => {
    const results = byId([contact('1', 'ana@example.com'), contact('2', 'ben@example.com')]);
    for (const result of results.values()) expect(result.findings).toEqual([]);
  });

  it('marks every member but the lowest numeric id (999 < 1000), after trimming and lower-casing', () => {
    const results = byId(group);
    expect(results.get('contact:999')!.findings).toEqual([]);
    expect(results.get('contact:999')!.properties).not.toHaveProperty('clr_duplicate_of');
    for (const id of ['1000', '1001']) {
      const result = results.get(`contact:${id}`)!;
      expect(result.findings.map((f) => [f.code, f.field, f.severity])).toEqual([['duplicate:999', 'email', 'info']]);
      expect(result.properties.clr_duplicate_of).toBe('999');
    }
    expect(results.get('contact:1001')!.findings[0]!.proposedFix).toBe(
      'Merge contact 1001 into contact 999: both have email ana@example.com (trimmed, lower-cased).',
    );
  });

  it('leaves empty emails out of every group', () => {
    const results = byId([contact('1', ''), contact('2', '   '), contact('3', null)]);
    for (const result of results.values()) expect(result.findings.filter((f) => f.kind === 'duplicate')).toEqual([]);
  });

  it('groups contacts out of scope too: the row names every contact with an email', () => {
    const results = byId([contact('5', 'x@y.z', 'subscriber'), contact('6', 'X@Y.Z')]);
    expect(results.get('contact:5')!.inScope).toBe(false);
    expect(results.get('contact:6')!.findings.map((f) => f.code)).toEqual(['duplicate:5']);
    expect(results.get('contact:5')!.properties).toEqual({});
  });

  it('does not weigh on compliance unless an admin levels duplicates', () => {
    const member = byId(group).get('contact:1000')!;
    expect(member.properties.clr_compliance_status).toBe('compliant');
    expect(member.score).toEqual({ applicable: 2, passed: 2 });
    const levelled = edited((d) => {
      d.findings.duplicate.compliance = 'incomplete';
    });
    const strict = byId(group, levelled).get('contact:1000')!;
    expect(strict.properties.clr_compliance_status).toBe('incomplete');
    expect(strict.findings[0]!.severity).toBe('warning');
  });
});

describe('section 4: duplicate company', () => {
  it('passes for companies whose domains differ', () => {
    const results = byId([company('1', 'acme.com'), company('2', 'acme.co'), company('3', 'sub.acme.com')]);
    for (const result of results.values()) expect(result.findings).toEqual([]);
  });

  it('groups domains after trimming, lower-casing and removing one leading www.', () => {
    const results = byId([
      company('30', 'www.Acme.com'),
      company('20', ' acme.COM '),
      company('40', 'WWW.ACME.COM'),
      company('50', 'www.www.acme.com'),
      company('60', 'shop.www.acme.com'),
    ]);
    expect(results.get('company:20')!.findings).toEqual([]);
    expect(results.get('company:30')!.findings.map((f) => [f.code, f.field])).toEqual([['duplicate:20', 'domain']]);
    expect(results.get('company:40')!.properties).toEqual({ clr_duplicate_of: '20' });
    expect(results.get('company:50')!.findings).toEqual([]);
    expect(results.get('company:60')!.findings).toEqual([]);
  });

  it('never groups a company with a contact', () => {
    const results = byId([company('1', 'a@b.c'), contact('2', 'a@b.c')]);
    for (const result of results.values()) expect(result.findings).toEqual([]);
  });
});

describe('findDuplicates', () => {
  it('is set-wise: a portal of 100,000 contacts is grouped in one pass (pairwise would be 5·10⁹ comparisons)', () => {
    const records: RecordInput[] = [];
    for (let i = 0; i < 100_000; i++) {
      const id = String(1_000_000 - i);
      records.push({
        objectType: 'contact',
        id,
        properties: { email: `p${i % 50_000}@example.com` },
        createdAt: NOW,
        updatedAt: NOW,
      });
    }
    const started = performance.now();
    const matches = findDuplicates(records, D.duplicates);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(matches.size).toBe(50_000);
    // p0 is held by ids 1000000 and 950000: the lower survives.
    expect(matches.get('contact:1000000')).toEqual([
      { rule: 'contact_email', property: 'email', key: 'p0@example.com', survivorId: '950000', groupSize: 2 },
    ]);
  });

  it('gives nothing to a record evaluated alone, without its matches', () => {
    expect(evaluateRecord(contact('2', 'a@b.c'), D, NOW).findings).toEqual([]);
  });
});
