import { Router } from 'express';
import { z } from 'zod';
import type { OAuthStateStore, StateCheck } from '../../hubspot/oauth-state.ts';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../hubspot/scopes.ts';
import type { InstallOutcome } from '../../install/complete-install.ts';
import type { Logger } from '../../logging/logger.ts';
import { listPage, page } from '../pages.ts';

export type OAuthRouteDeps = {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  states: OAuthStateStore;
  install: (code: string) => Promise<InstallOutcome>;
  log: Logger;
};

const STATE_MESSAGES: Record<Exclude<StateCheck, { ok: true }>['reason'], string> = {
  malformed: 'The link that brought you here is incomplete.',
  forged: 'The link that brought you here was not issued by Closed Loop.',
  expired: 'The install link expired (they last 10 minutes).',
  reused: 'This install link was already used.',
};

const CallbackQuery = z.object({
  code: z.string().min(1).optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** `GET /oauth/install` sends the admin to HubSpot's consent page; `GET /oauth/callback` finishes the install. */
export function oauthRoutes(deps: OAuthRouteDeps): Router {
  const router = Router();

  router.get('/oauth/install', async (_req, res) => {
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', deps.redirectUri);
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    if (OPTIONAL_SCOPES.length > 0) url.searchParams.set('optional_scope', OPTIONAL_SCOPES.join(' '));
    url.searchParams.set('state', await deps.states.issue());
    res.redirect(302, url.toString());
  });

  router.get('/oauth/callback', async (req, res) => {
    const query = CallbackQuery.safeParse(req.query);
    const again = 'Start again from the Closed Loop listing in the HubSpot App Marketplace, or at /oauth/install.';
    if (!query.success) {
      res
        .status(400)
        .send(page('Install not completed', ['HubSpot sent an answer Closed Loop could not read.', again]));
      return;
    }
    // State first: nothing else from this request is trusted until it is proven to answer our redirect.
    const state = await deps.states.consume(query.data.state);
    if (!state.ok) {
      res.status(400).send(page('Install not completed', [STATE_MESSAGES[state.reason], again]));
      return;
    }
    if (query.data.error || !query.data.code) {
      res
        .status(400)
        .send(
          page('Install not completed', [
            `HubSpot did not grant access: ${query.data.error_description ?? query.data.error ?? 'no code was sent'}.`,
            again,
          ]),
        );
      return;
    }
    const outcome = await deps.install(query.data.code);
    deps.log.info(
      { portalId: outcome.portalId, firstInstall: outcome.firstInstall, bootstrap: outcome.bootstrap },
      'portal installed',
    );
    const created = outcome.bootstrap.createdProperties.length;
    const items = [
      `Portal ${outcome.portalId}${outcome.hubDomain ? ` (${outcome.hubDomain})` : ''} is connected${outcome.installedBy ? `, installed by ${outcome.installedBy}` : ''}.`,
      created > 0
        ? `${created} Closed Loop properties were created in the "Closed-loop reporting" group.`
        : 'The Closed Loop properties were already in place; nothing was changed.',
      `The default policy (definitions version ${outcome.definitionsVersion}) is active; you can change it on the settings page.`,
      'A first full sync of contacts, companies, deals, tickets and their history has started. Large portals take a while; findings and attribution appear as it goes.',
    ];
    if (outcome.bootstrap.incompatible.length > 0) {
      items.push(
        `Some properties already exist with another type and were left alone: ${outcome.bootstrap.incompatible
          .map((p) => `${p.objectType}.${p.name} (is ${p.found.type}, Closed Loop needs ${p.expected.type})`)
          .join(', ')}.`,
      );
    }
    res
      .status(200)
      .send(
        listPage(
          'Closed Loop is installed',
          'What happens next:',
          items,
          'You can close this tab and return to HubSpot.',
        ),
      );
  });

  return router;
}
