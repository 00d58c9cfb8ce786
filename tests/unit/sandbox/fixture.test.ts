import { describe, expect, it } from 'vitest';
import { FixtureError, loadFixture, parseFixture } from '../../../server/sandbox/fixture.ts';
import { smallFixture } from './helpers.ts';

describe('portal fixture', () => {
  it('loads the bundled demo fixture', async () => {
    const fixture = await loadFixture('tests/fixtures/demo-portal.json');
    expect(fixture.portalId).toBeGreaterThan(0);
    expect(fixture.objects.contacts?.length).toBeGreaterThan(0);
  });

  it('names the path and the problem of every error', () => {
    const bad = smallFixture();
    const contacts = bad.objects!.contacts!;
    contacts[0] = { ...contacts[0]!, createdAt: 'yesterday' };
    contacts[1] = { ...contacts[1]!, id: '101' };
    bad.associations = [{ from: { type: 'contacts', id: '999' }, to: { type: 'companies', id: '201' } }];
    try {
      parseFixture(bad, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FixtureError);
      const problems = (error as FixtureError).problems.join('\n');
      expect(problems).toContain('objects.contacts[0].createdAt: must be an ISO 8601 UTC timestamp');
      expect((error as FixtureError).message).toContain('bad.json');
    }
    const second = smallFixture();
    second.objects!.contacts![1] = { ...second.objects!.contacts![1]!, id: '101' };
    second.associations = [{ from: { type: 'contacts', id: '999' }, to: { type: 'companies', id: '201' } }];
    expect(() => parseFixture(second)).toThrow(/objects\.contacts\[1\]\.id: duplicate contacts id 101/);
    expect(() => parseFixture(second)).toThrow(/associations\[0\]\.from: no contacts with id 999/);
  });

  it('refuses history that is not newest first or disagrees with the current value', () => {
    const f = smallFixture();
    f.objects!.contacts![0]!.propertiesWithHistory!.lifecyclestage!.reverse();
    expect(() => parseFixture(f)).toThrow(/history must be newest first/);
  });

  it('refuses unknown keys, so a typo does not pass silently', () => {
    expect(() => parseFixture({ ...smallFixture(), owner: [] })).toThrow(/Unrecognized key/);
  });

  it('explains a missing file and bad JSON', async () => {
    await expect(loadFixture('/nonexistent/portal.json')).rejects.toThrow(/cannot read the file/);
  });
});
