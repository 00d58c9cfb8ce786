import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import { loadAdminPage } from '../../admin/admin-page-data.ts';
import type { AdminKeys } from '../../admin/admin-keys.ts';
import { admit } from '../../admin/admission.ts';
import {
  ApiKeyId,
  AdminLinkRequest,
  DefinitionsDraft,
  DefinitionsSave,
  NewAdmin,
  NewApiKey,
} from '../../admin/contracts.ts';
import { previewDefinitions, saveDefinitions } from '../../admin/definitions-draft.ts';
import { enterWithLink, issueEntryLink, type LinkRefusal, type LinkRequest } from '../../admin/entry-link.ts';
import { completeAdminLogin } from '../../admin/oauth-login.ts';
import { adminPage } from '../../admin/page/admin-page.ts';
import type { Html } from '../../admin/page/html.ts';
import { messagePage } from '../../admin/page/layout.ts';
import { recordsPage } from '../../admin/page/records-page.ts';
import { parsePageQuery } from '../../admin/page-query.ts';
import { loadSettingsSummary } from '../../admin/settings-summary.ts';
import { SettingsSummary } from '../../admin/settings-summary-contract.ts';
import { csrfTokenMatches, endAdminSession, SESSION_ABSOLUTE_MS, type AdminSession } from '../../admin/sessions.ts';
import { deleteAdminSessionsOfUser } from '../../db/repositories/admin-sessions.ts';
import { revokeApiKey } from '../../db/repositories/api-keys.ts';
import { createDecision } from '../../decisions/create-decision.ts';
import { DecisionInputError, DecisionNotFound } from '../../decisions/errors.ts';
import { updateDecision } from '../../decisions/update-decision.ts';
import { addPortalAdmin, removePortalAdmin } from '../../db/repositories/portal-admins.ts';
import { findPortal } from '../../db/repositories/portals.ts';
import { lastReportingRefresh } from '../../db/repositories/reporting.ts';
import { currentDefinitions } from '../../definitions/current-definitions.ts';
import { findReport, ReportParamError } from '../../reporting/report-catalog.ts';
import { parseReportQuery } from '../../reporting/report-query.ts';
import type { OAuthApi } from '../../hubspot/oauth-api.ts';
import type { OAuthStateStore } from '../../hubspot/oauth-state.ts';
import { REQUIRED_SCOPES } from '../../hubspot/scopes.ts';
import { createApiKey } from '../../ingest/api-key.ts';
import type { Logger } from '../../logging/logger.ts';
import type { QueueDeps } from '../../queue/deps.ts';
import {
  adminCookies,
  adminSecurityHeaders,
  clearCookie,
  readCookie,
  sessionOf,
  setCookie,
  type AdminCookies,
} from '../admin-auth.ts';
import { authenticateCardRequest, queryClaimsDisagree } from '../card-auth.ts';

export type AdminRouteDeps = {
  db: pg.Pool;
  queueDeps: QueueDeps;
  oauth: OAuthApi;
  /** The login flow's own OAuth state store (signed with the admin key, not the install one's). */
  states: OAuthStateStore;
  keys: AdminKeys;
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  publicBaseUrl: string;
  log: Logger;
  now?: () => Date;
};

const ASSETS: Record<string, { type: string; body: Buffer }> = {
  'admin.js': { type: 'text/javascript; charset=utf-8', body: asset('admin.js') },
  'admin.css': { type: 'text/css; charset=utf-8', body: asset('admin.css') },
};

function asset(name: string): Buffer {
  return readFileSync(new URL(`../../admin/assets/${name}`, import.meta.url));
}

const PortalParams = z.object({ portalId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const CallbackQuery = z.object({
  code: z.string().min(1).optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

const LINK_REFUSALS: Record<LinkRefusal, { status: number; title: string; text: string }> = {
  malformed: { status: 400, title: 'Link not valid', text: 'This link is incomplete or damaged.' },
  forged: { status: 400, title: 'Link not valid', text: 'This link was not issued by Closed Loop.' },
  expired: { status: 401, title: 'Link expired', text: 'Entry links last 5 minutes.' },
  reused: { status: 401, title: 'Link already used', text: 'Each entry link opens the page once.' },
  not_installed: { status: 403, title: 'Not available', text: 'Closed Loop is not installed in this HubSpot account.' },
  not_admin: { status: 403, title: 'Not an admin', text: 'Only admins of this HubSpot account may open this page.' },
};
const AGAIN = 'Open the page again from Closed Loop’s settings in HubSpot, or sign in with HubSpot.';
const SIGN_IN = { href: '/admin/login', label: 'Sign in with HubSpot' };

/**
 * The admin page (server/admin/README.md): sign-in (HubSpot OAuth or a signed entry link from the
 * settings component), the page itself, and the endpoints its script calls. Every portal route needs
 * a live session of that portal (another portal's session gets 404, as if the portal did not exist);
 * every POST also needs the session's CSRF token (header `X-CSRF-Token` or form field `_csrf`).
 */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const cookies = adminCookies(deps.publicBaseUrl);
  const loginRedirectUri = new URL('/admin/oauth/callback', deps.publicBaseUrl).toString();
  const json = express.json({ limit: '600kb' });
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.use('/admin', adminSecurityHeaders);

  router.get('/admin/assets/:file', (req, res) => {
    const file = ASSETS[req.params.file];
    if (!file) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.type(file.type).send(file.body);
  });

  router.get('/admin', async (req, res) => {
    const session = await sessionOf(req, deps.db, cookies, now());
    if (session) {
      res.redirect(303, `/admin/portals/${session.portalId}`);
      return;
    }
    sendPage(
      res,
      401,
      messagePage(
        'Sign in',
        ['The Closed Loop admin page is for admins of a HubSpot account where Closed Loop is installed.'],
        SIGN_IN,
      ),
    );
  });

  router.get('/admin/login', async (_req, res) => {
    const state = await deps.states.issue();
    // Ties the answer to this browser: a callback carrying a state this browser was not given is refused.
    setCookie(res, cookies, cookies.login, state, 10 * 60_000);
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', loginRedirectUri);
    // Exactly the installed scopes: asking for nothing new, any user of the account can pass consent.
    url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
    url.searchParams.set('state', state);
    res.redirect(302, url.toString());
  });

  router.get('/admin/oauth/callback', async (req, res) => {
    const query = CallbackQuery.safeParse(req.query);
    const expected = readCookie(req, cookies.login);
    clearCookie(res, cookies, cookies.login);
    if (!query.success || !query.data.state || !sameText(expected, query.data.state)) {
      sendPage(
        res,
        400,
        messagePage('Sign-in not completed', ['This sign-in did not start in this browser.'], SIGN_IN),
      );
      return;
    }
    const state = await deps.states.consume(query.data.state);
    if (!state.ok) {
      sendPage(res, 400, messagePage('Sign-in not completed', [`The sign-in link is ${state.reason}.`], SIGN_IN));
      return;
    }
    if (query.data.error || !query.data.code) {
      const why = query.data.error_description ?? query.data.error ?? 'no code was sent';
      sendPage(res, 401, messagePage('Sign-in not completed', [`HubSpot did not sign you in: ${why}.`], SIGN_IN));
      return;
    }
    let outcome: Awaited<ReturnType<typeof completeAdminLogin>>;
    try {
      outcome = await completeAdminLogin(
        { db: deps.db, oauth: deps.oauth, redirectUri: loginRedirectUri, now },
        query.data.code,
      );
    } catch (error) {
      deps.log.warn({ err: error }, 'admin sign-in: HubSpot did not confirm the code');
      sendPage(
        res,
        502,
        messagePage('Sign-in not completed', ['HubSpot could not confirm who you are. Please try again.'], SIGN_IN),
      );
      return;
    }
    if (!outcome.ok) {
      deps.log.info({ portalId: outcome.portalId, reason: outcome.reason }, 'admin sign-in refused');
      const refusal = LINK_REFUSALS[outcome.reason];
      sendPage(res, refusal.status, messagePage(refusal.title, [refusal.text]));
      return;
    }
    startBrowserSession(res, cookies, outcome.session);
    res.redirect(303, `/admin/portals/${outcome.session.portalId}`);
  });

  /**
   * A request of the settings component, signed by HubSpot like the cards' requests: the claims of
   * its body once the signature, the body and any ids HubSpot appended to the URL all check out, or
   * undefined with the refusal already sent.
   */
  const settingsCaller = (req: Request, res: Response, what: string): LinkRequest | undefined => {
    const caller = authenticateCardRequest(req, {
      clientSecret: deps.clientSecret,
      publicBaseUrl: deps.publicBaseUrl,
      now: now().getTime(),
    });
    if (!caller.ok) {
      deps.log.warn({ reason: caller.reason }, `admin ${what} request refused: bad signature`);
      res
        .status(401)
        .json({ ok: false, error: { code: 'unauthorized', message: `invalid HubSpot signature: ${caller.reason}` } });
      return undefined;
    }
    const body = parseJson(caller.rawBody, AdminLinkRequest);
    if (!body.ok) {
      res.json({
        ok: false,
        error: { code: 'invalid_request', message: body.message, ...(body.field ? { field: body.field } : {}) },
      });
      return undefined;
    }
    if (queryClaimsDisagree(req.query, body.value) !== undefined) {
      res.json({ ok: false, error: { code: 'not_found', message: 'This request names another account or user.' } });
      return undefined;
    }
    return body.value;
  };
  const signed = express.raw({ type: () => true, limit: '16kb' });

  // The settings component's request for an entry link.
  router.post('/admin/link', signed, async (req, res) => {
    const claims = settingsCaller(req, res, 'link');
    if (!claims) return;
    const issued = await issueEntryLink(
      { db: deps.db, key: deps.keys.link, publicBaseUrl: deps.publicBaseUrl, now: now() },
      claims,
    );
    if (!issued.ok) {
      res.json({ ok: false, error: admissionRefusal(issued.reason) });
      return;
    }
    res.json({ ok: true, data: { url: issued.url, expiresAt: issued.expiresAt.toISOString() } });
  });

  // The settings component's summary (sync, the loops, the policy in brief): for the same admins as the link.
  router.post('/admin/summary', signed, async (req, res) => {
    const claims = settingsCaller(req, res, 'summary');
    if (!claims) return;
    const admission = await admit(deps.db, claims.portalId, claims.userId);
    if (!admission.ok) {
      res.json({ ok: false, error: admissionRefusal(admission.reason) });
      return;
    }
    const summary = await loadSettingsSummary(deps.db, claims.portalId, now());
    // Checked against the contract the component's decoders restate: a drift fails here, not in HubSpot.
    res.json({ ok: true, data: SettingsSummary.parse(summary) });
  });

  router.get('/admin/enter', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const entered = await enterWithLink({ db: deps.db, key: deps.keys.link, now: now() }, token);
    if (!entered.ok) {
      const refusal = LINK_REFUSALS[entered.reason];
      deps.log.info({ reason: entered.reason }, 'admin entry link refused');
      sendPage(res, refusal.status, messagePage(refusal.title, [refusal.text, AGAIN], SIGN_IN));
      return;
    }
    startBrowserSession(res, cookies, entered.session);
    res.redirect(303, `/admin/portals/${entered.session.portalId}`);
  });

  router.post('/admin/logout', form, json, async (req, res) => {
    const session = await sessionOf(req, deps.db, cookies, now());
    if (session) {
      if (!csrfTokenMatches(session, csrfOf(req))) {
        sendPage(res, 403, messagePage('Not signed out', ['The request did not carry this page’s token.']));
        return;
      }
      await endAdminSession(deps.db, session);
    }
    clearCookie(res, cookies, cookies.session);
    sendPage(res, 200, messagePage('Signed out', ['You are signed out of the Closed Loop admin page.'], SIGN_IN));
  });

  /** The session of the portal in the path, or an answer already sent (401, 404, 403 for a POST without CSRF). */
  const admin = async (req: Request, res: Response, kind: 'page' | 'json'): Promise<AdminSession | undefined> => {
    const params = PortalParams.safeParse(req.params);
    const session = await sessionOf(req, deps.db, cookies, now());
    if (!session) {
      if (kind === 'page') sendPage(res, 401, messagePage('Sign in', ['Sign in to see this page.'], SIGN_IN));
      else res.status(401).json({ ok: false, error: { message: 'sign in first: no admin session' } });
      return undefined;
    }
    if (!params.success || params.data.portalId !== session.portalId) {
      if (kind === 'page') sendPage(res, 404, messagePage('Not found', ['There is no such page.']));
      else res.status(404).json({ ok: false, error: { message: 'no such portal' } });
      return undefined;
    }
    if (req.method !== 'GET' && !csrfTokenMatches(session, csrfOf(req))) {
      res.status(403).json({ ok: false, error: { message: 'missing or wrong CSRF token (X-CSRF-Token header)' } });
      return undefined;
    }
    return session;
  };

  router.get('/admin/portals/:portalId', async (req, res) => {
    const session = await admin(req, res, 'page');
    if (!session) return;
    const query = parsePageQuery(req.query);
    if (!query.ok) {
      sendPage(
        res,
        400,
        messagePage('Bad filters', query.problems, {
          href: `/admin/portals/${session.portalId}`,
          label: 'Clear the filters',
        }),
      );
      return;
    }
    const data = await loadAdminPage(deps.db, session.portalId, query.query, now());
    if (!data) {
      sendPage(res, 404, messagePage('Not found', ['There is no such page.']));
      return;
    }
    sendPage(res, 200, adminPage(data, session));
  });

  // The records behind one figure of the dashboards (the drill-down), with their links into HubSpot.
  router.get('/admin/portals/:portalId/records/:report', async (req, res) => {
    const session = await admin(req, res, 'page');
    if (!session) return;
    const back = { href: `/admin/portals/${session.portalId}#dashboards`, label: 'Back to the dashboards' };
    const report = findReport(typeof req.params.report === 'string' ? req.params.report : '');
    if (!report) {
      sendPage(res, 404, messagePage('Not found', ['There is no such report.'], back));
      return;
    }
    const query = parseReportQuery(report, req.query, 'records');
    if (!query.ok) {
      sendPage(res, 400, messagePage('Bad query', [query.message], back));
      return;
    }
    const portal = await findPortal(deps.db, session.portalId);
    if (!portal) {
      sendPage(res, 404, messagePage('Not found', ['There is no such page.']));
      return;
    }
    const definitions = await currentDefinitions(deps.db, session.portalId);
    let drill;
    try {
      drill = await report.records(
        { db: deps.db, portalId: session.portalId, definitions: definitions.definitions, now: now() },
        report.filtered ? query.value.filters : {},
        query.value.params,
        query.value.cell,
      );
    } catch (error) {
      if (!(error instanceof ReportParamError)) throw error;
      sendPage(res, 400, messagePage('Bad query', [`${error.param}: ${error.message}`], back));
      return;
    }
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) if (typeof value === 'string') search.set(key, value);
    sendPage(
      res,
      200,
      recordsPage({
        portal,
        report,
        query: query.value,
        search,
        drill,
        refresh: await lastReportingRefresh(deps.db, session.portalId),
        csrfToken: session.csrfToken,
      }),
    );
  });

  router.post('/admin/portals/:portalId/definitions/preview', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const draft = parseBody(res, DefinitionsDraft, req.body);
    if (!draft) return;
    const preview = await previewDefinitions(deps.db, session.portalId, draft);
    res.status(preview.ok ? 200 : 422).json(preview);
  });

  router.post('/admin/portals/:portalId/definitions', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const save = parseBody(res, DefinitionsSave, req.body);
    if (!save) return;
    const result = await saveDefinitions({ db: deps.db, queueDeps: deps.queueDeps }, session.portalId, {
      ...save,
      author: who(session),
    });
    if (!result.ok && 'conflict' in result) {
      res.status(409).json({
        ok: false,
        error: {
          message: `the definitions changed since you looked (now version ${result.conflict.currentVersion}); show the changes again`,
        },
      });
      return;
    }
    if (!result.ok) {
      res.status(422).json(result);
      return;
    }
    deps.log.info(
      { portalId: session.portalId, version: result.version, changed: result.changed },
      'definitions saved from the admin page',
    );
    res.json(result);
  });

  router.post('/admin/portals/:portalId/api-keys', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const body = parseBody(res, NewApiKey, req.body);
    if (!body) return;
    const created = await createApiKey(deps.db, session.portalId, { label: body.label, createdBy: who(session) });
    res.status(201).json({ ok: true, data: created });
  });

  router.post('/admin/portals/:portalId/api-keys/:keyId/revoke', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const id = ApiKeyId.safeParse(req.params.keyId);
    if (!id.success) {
      res.status(400).json({ ok: false, error: { message: `keyId: ${id.error.issues[0]!.message}`, field: 'keyId' } });
      return;
    }
    const revoked = await revokeApiKey(deps.db, session.portalId, id.data);
    if (!revoked) {
      res.status(404).json({ ok: false, error: { message: `no active API key ${id.data} in this portal` } });
      return;
    }
    res.json({ ok: true, data: { id: id.data, revoked: true } });
  });

  router.post('/admin/portals/:portalId/admins', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const body = parseBody(res, NewAdmin, req.body);
    if (!body) return;
    await addPortalAdmin(deps.db, session.portalId, {
      userId: body.userId,
      email: body.email ?? null,
      addedBy: who(session),
    });
    res.status(201).json({ ok: true, data: { userId: body.userId } });
  });

  router.post('/admin/portals/:portalId/admins/:userId/remove', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    const userId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(req.params.userId);
    if (!userId.success) {
      res.status(400).json({ ok: false, error: { message: 'userId: is not a HubSpot user id', field: 'userId' } });
      return;
    }
    if (!(await removePortalAdmin(deps.db, session.portalId, userId.data))) {
      res
        .status(404)
        .json({ ok: false, error: { message: `user ${userId.data} is not an added admin of this portal` } });
      return;
    }
    // Whoever is no longer an admin is out at once, not when their session would have ended.
    await deleteAdminSessionsOfUser(deps.db, session.portalId, userId.data);
    res.json({ ok: true, data: { userId: userId.data, removed: true } });
  });

  router.post('/admin/portals/:portalId/decisions', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    try {
      const decision = await createDecision(deps.db, session.portalId, req.body ?? {}, now());
      res.status(201).json({ ok: true, data: decision });
    } catch (error) {
      if (!sendDecisionError(res, error)) throw error;
    }
  });

  router.post('/admin/portals/:portalId/decisions/:decisionId', json, async (req, res) => {
    const session = await admin(req, res, 'json');
    if (!session) return;
    try {
      const decision = await updateDecision(deps.db, session.portalId, req.params.decisionId, req.body ?? {}, now());
      res.json({ ok: true, data: decision });
    } catch (error) {
      if (!sendDecisionError(res, error)) throw error;
    }
  });

  return router;
}

/** The decision log's refusals: 400 with each problem (path and message), 404 for an unknown action. */
function sendDecisionError(res: Response, error: unknown): boolean {
  if (error instanceof DecisionInputError) {
    const first = error.problems[0];
    res.status(400).json({
      ok: false,
      error: { message: error.message, ...(first?.path ? { field: first.path } : {}), problems: error.problems },
    });
    return true;
  }
  if (error instanceof DecisionNotFound) {
    res.status(404).json({ ok: false, error: { message: error.message } });
    return true;
  }
  return false;
}

/** The settings component's refusal for a caller who is not an admin of an installed portal. */
function admissionRefusal(reason: 'not_installed' | 'not_admin'): { code: string; message: string } {
  return reason === 'not_installed'
    ? { code: 'not_found', message: LINK_REFUSALS.not_installed.text }
    : { code: 'forbidden', message: LINK_REFUSALS.not_admin.text };
}

function startBrowserSession(res: Response, cookies: AdminCookies, session: { id: string }): void {
  setCookie(res, cookies, cookies.session, session.id, SESSION_ABSOLUTE_MS);
}

function sendPage(res: Response, status: number, page: Html): void {
  res.status(status).type('html').send(page.text);
}

function who(session: AdminSession): string {
  return session.userEmail ?? `HubSpot user ${session.userId}`;
}

function csrfOf(req: Request): string | undefined {
  const header = req.get('x-csrf-token');
  if (header !== undefined) return header;
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof field === 'string' ? field : undefined;
}

function sameText(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A JSON body checked against its contract; a 400 naming the field is sent otherwise. */
function parseBody<S extends z.ZodType>(res: Response, schema: S, body: unknown): z.output<S> | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  res
    .status(400)
    .json({ ok: false, error: { message: `${field || 'body'}: ${issue.message}`, ...(field ? { field } : {}) } });
  return undefined;
}

function parseJson<S extends z.ZodType>(
  raw: string,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; message: string; field?: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'the request body is not JSON' };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  return { ok: false, message: `${field || 'body'}: ${issue.message}`, ...(field ? { field } : {}) };
}
