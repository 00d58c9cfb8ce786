import { Router } from 'express';
import type { SandboxContext } from '../context.ts';
import { HubSpotError, errorBody } from '../errors.ts';
import { stringParam } from '../routes/params.ts';
import { AuthorizeError, OAuthTokenError } from './tokens.ts';

/**
 * HubSpot's app-facing OAuth endpoints: the authorize redirect (the sandbox approves as the admin),
 * the token endpoint (form-encoded, `authorization_code` and `refresh_token`), token info, and the
 * refresh-token delete.
 */
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const errorPage = (reason: string) =>
  `<!doctype html><html><head><title>HubSpot</title></head><body><h1>Couldn't complete the connection</h1><p>${escapeHtml(reason)}</p></body></html>`;

const tokenNotFound = (kind: string) => new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', `${kind} token not found`));

export function oauthRoutes(ctx: SandboxContext): Router {
  const router = Router();
  const { tokens } = ctx;

  router.get('/oauth/authorize', (req, res) => {
    try {
      const location = tokens.authorize({
        client_id: stringParam(req.query.client_id),
        redirect_uri: stringParam(req.query.redirect_uri),
        scope: stringParam(req.query.scope),
        optional_scope: stringParam(req.query.optional_scope),
        state: stringParam(req.query.state),
      });
      res.redirect(302, location);
    } catch (error) {
      if (!(error instanceof AuthorizeError)) throw error;
      res.status(400).type('html').send(errorPage(error.reason));
    }
  });

  router.post('/oauth/v1/token', (req, res) => {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    try {
      const granted = tokens.grant(form);
      res.json({
        token_type: 'bearer',
        refresh_token: granted.refreshToken,
        access_token: granted.token,
        expires_in: Math.floor((granted.expiresAt - granted.issuedAt) / 1000),
        hub_id: tokens.hubId,
        user_id: granted.userId,
        scopes: granted.scopes,
        token_use: 'access_token',
      });
    } catch (error) {
      if (!(error instanceof OAuthTokenError)) throw error;
      res.status(error.httpStatus).json(error.body);
    }
  });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const token = tokens.accessToken(req.params.token);
    const now = ctx.store.clock.now();
    if (!token || token.expiresAt <= now) throw tokenNotFound('access');
    res.json({
      token: token.token,
      user: token.user,
      hub_domain: tokens.hubDomain,
      scopes: token.scopes,
      hub_id: tokens.hubId,
      app_id: token.appId,
      expires_in: Math.floor((token.expiresAt - now) / 1000),
      user_id: token.userId,
      token_type: 'access',
    });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const token = tokens.refreshToken(req.params.token);
    if (!token || token.revoked) throw tokenNotFound('refresh');
    res.json({
      token: token.token,
      user: token.user,
      hub_domain: tokens.hubDomain,
      scopes: token.scopes,
      hub_id: tokens.hubId,
      client_id: token.clientId,
      user_id: token.userId,
      token_type: 'refresh',
    });
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const token = tokens.refreshToken(req.params.token);
    if (!token || token.revoked) throw tokenNotFound('refresh');
    tokens.revokeRefreshTokens(token.token);
    res.status(204).end();
  });

  return router;
}
