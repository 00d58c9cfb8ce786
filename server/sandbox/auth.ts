import type { NextFunction, Request, Response } from 'express';
import type { CrmObjectType } from './contracts.ts';
import { callerOf, type SandboxContext } from './context.ts';
import { expiredAuthentication, invalidAuthentication, missingScopes } from './errors.ts';

/**
 * Bearer-token check for every HubSpot API route: a missing or unknown token gets HubSpot's 401
 * INVALID_AUTHENTICATION body, an expired one the EXPIRED_AUTHENTICATION body with its expire time.
 */
export function authenticate(ctx: SandboxContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match ? ctx.tokens.accessToken(match[1]!) : undefined;
    if (!token) throw invalidAuthentication();
    const now = ctx.store.clock.now();
    if (token.expiresAt <= now) throw expiredAuthentication(token.expiresAt, now);
    res.locals.caller = token;
    // The limits and faults middlewares read the portal from here.
    res.locals.portalId = ctx.store.portalId;
    next();
  };
}

const TICKETS = ['tickets'];

/** The scopes HubSpot accepts for reading or writing records of a type (any one of them suffices). */
export function objectScopes(type: CrmObjectType, access: 'read' | 'write'): string[] {
  return type === 'tickets' ? [...TICKETS, `crm.objects.tickets.${access}`] : [`crm.objects.${type}.${access}`];
}

export function schemaScopes(type: CrmObjectType, access: 'read' | 'write'): string[] {
  return access === 'read'
    ? [`crm.schemas.${type}.read`, ...objectScopes(type, 'read')]
    : [`crm.schemas.${type}.write`, ...(type === 'tickets' ? TICKETS : [])];
}

/** Refuses the call with HubSpot's 403 MISSING_SCOPES unless the token holds one of `anyOf`. */
export function requireScopes(ctx: SandboxContext, res: Response, anyOf: string[]): void {
  if (!ctx.enforceScopes) return;
  const granted = new Set(callerOf(res).scopes);
  if (!anyOf.some((s) => granted.has(s))) throw missingScopes(anyOf);
}
