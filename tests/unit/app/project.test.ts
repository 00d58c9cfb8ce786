import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLegacyProject, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate, isTranslationError } from '@hubspot/project-parsing-lib/translate';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../../server/hubspot/scopes.ts';
import { APP_WEBHOOK_SUBSCRIPTIONS } from '../../../server/webhooks/subscriptions.ts';
import { COMPONENT_SCHEMAS } from './component-schemas.ts';

/**
 * The HubSpot project in app/, validated offline by HubSpot's own parsing library (the code behind
 * `hs project validate` and `hs project upload`): it finds and parses every `*-hsmeta.json`, checks
 * uids, component directories, the single app and settings and webhooks components, applies the
 * production profile, and validates each component's config with Ajv against the schemas its HTTP
 * client fetches, which msw serves here from `component-schemas.ts` instead of HubSpot's API.
 */
const PROJECT = 'app';
const ACCOUNT = 4_242;
const served: string[] = [];
const hubspot = setupServer(
  http.get('https://api.hubapi.com/project-components-external/project-schemas/v3/:version', ({ params }) => {
    served.push(String(params.version));
    return HttpResponse.json(COMPONENT_SCHEMAS);
  }),
);

beforeAll(() => {
  // The library's HTTP client reads its account from the environment instead of ~/.hscli (and writes nothing).
  Object.assign(process.env, {
    USE_ENVIRONMENT_HUBSPOT_CONFIG: 'true',
    HUBSPOT_ACCOUNT_ID: String(ACCOUNT),
    HUBSPOT_API_KEY: 'offline-validation-only',
  });
  hubspot.listen({ onUnhandledFrame: 'error' });
});
afterAll(() => hubspot.close());

async function validate(projectDir: string) {
  const config = parseProjectConfig(projectDir);
  return translate(
    {
      projectSourceDir: path.join(projectDir, config.srcDir),
      platformVersion: config.platformVersion,
      accountId: ACCOUNT,
    },
    { profile: 'production' },
  );
}

const profile = JSON.parse(readFileSync(`${PROJECT}/src/hsprofile.production.json`, 'utf8')) as {
  variables: { PUBLIC_BASE_URL: string };
};
const BASE = profile.variables.PUBLIC_BASE_URL;

describe('the HubSpot project', () => {
  it('is a 2026.03 project (the *-hsmeta.json format)', () => {
    const config = parseProjectConfig(PROJECT);
    expect(config).toEqual({ name: 'closed-loop', srcDir: 'src', platformVersion: '2026.03' });
    expect(isLegacyProject(config.platformVersion)).toBe(false);
  });

  it('validates with HubSpot’s parsing library, every component found where it belongs', async () => {
    const { intermediateRepresentation, skippedHsMetaFiles } = await validate(PROJECT);
    expect(served).toContain('2026.03');
    expect(skippedHsMetaFiles).toEqual([]);
    const nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    expect(Object.fromEntries(Object.values(nodes).map((n) => [n.uid, n.componentType]))).toEqual({
      closed_loop_app: 'APPLICATION',
      closed_loop_deal_card: 'CARD',
      closed_loop_ticket_card: 'CARD',
      closed_loop_contact_card: 'CARD',
      closed_loop_settings: 'SETTINGS',
      closed_loop_webhooks: 'WEBHOOKS',
    });
    for (const node of Object.values(nodes))
      if (node.uid !== 'closed_loop_app') expect(node.componentDeps.app).toBe('closed_loop_app');
  });

  it('fails validation when a component is broken (so the check above can fail)', async () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'closed-loop-app-'));
    try {
      cpSync(PROJECT, broken, { recursive: true });
      const card = path.join(broken, 'src/app/cards/deal-card-hsmeta.json');
      const meta = JSON.parse(readFileSync(card, 'utf8'));
      writeFileSync(card, JSON.stringify({ ...meta, config: { ...meta.config, objectTypes: ['DEAL'] } }));
      const error = await validate(broken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTranslationError(error)).toBe(true);
      expect(String(error)).toContain('objectTypes');

      writeFileSync(card, JSON.stringify(meta));
      renameSync(card, path.join(broken, 'src/app/settings/deal-card-hsmeta.json'));
      const misplaced = await validate(broken).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTranslationError(misplaced)).toBe(true);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('is a marketplace OAuth app asking for exactly the scopes the install flow asks for', async () => {
    const app = (await validate(PROJECT)).intermediateRepresentation.intermediateNodesIndexedByUid.closed_loop_app!
      .config as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(app.distribution).toBe('marketplace');
    expect(app.auth.type).toBe('oauth');
    expect(app.auth.requiredScopes).toEqual([...REQUIRED_SCOPES]);
    expect(app.auth.optionalScopes).toEqual([...OPTIONAL_SCOPES]);
    // The server's redirect URIs: PUBLIC_BASE_URL + /oauth/callback (install, context.ts redirectUriOf) and
    // + /admin/oauth/callback (signing in to the admin page, server/http/routes/admin.ts).
    expect(app.auth.redirectUrls).toEqual([
      new URL('/oauth/callback', BASE).toString(),
      new URL('/admin/oauth/callback', BASE).toString(),
    ]);
    expect(app.permittedUrls.fetch).toEqual([BASE]);
    expect(app.support.supportEmail).toMatch(/@/);
  });

  it('subscribes to exactly the webhooks the sync code uses, delivered to the intake route', async () => {
    const webhooks = (await validate(PROJECT)).intermediateRepresentation.intermediateNodesIndexedByUid
      .closed_loop_webhooks!.config as {
      settings: { targetUrl: string };
      subscriptions: {
        legacyCrmObjects: { subscriptionType: string; propertyName?: string; active: boolean }[];
        hubEvents: { subscriptionType: string; active: boolean }[];
      };
    };
    expect(webhooks.settings.targetUrl).toBe(`${BASE}/webhooks/hubspot`);
    const declared = [...webhooks.subscriptions.legacyCrmObjects, ...webhooks.subscriptions.hubEvents];
    expect(declared.every((s) => s.active)).toBe(true);
    expect(declared.map(({ active: _active, ...subscription }) => subscription)).toEqual(APP_WEBHOOK_SUBSCRIPTIONS);
  });

  it('puts a card on deals, tickets and contacts record tabs, each with an entry file that exists', async () => {
    const nodes = (await validate(PROJECT)).intermediateRepresentation.intermediateNodesIndexedByUid;
    const cards = Object.values(nodes).filter((n) => n.componentType === 'CARD');
    expect(
      cards.map((n) =>
        (n.config as { objectTypes: string[]; location: string }).objectTypes.concat(
          (n.config as { location: string }).location,
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        ['deals', 'crm.record.tab'],
        ['tickets', 'crm.record.tab'],
        ['contacts', 'crm.record.tab'],
      ]),
    );
    for (const node of [...cards, nodes.closed_loop_settings!]) {
      const entry = (node.config as { entrypoint: string }).entrypoint;
      expect(existsSync(path.join(PROJECT, 'src', entry)), entry).toBe(true);
    }
  });
});
