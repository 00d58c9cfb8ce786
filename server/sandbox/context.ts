import type { Response } from 'express';
import type { ChangeSource } from './contracts.ts';
import type { AccessToken, TokenStore } from './oauth/tokens.ts';
import type { SearchCache } from './search/cache.ts';
import type { SortedIndexes } from './search/sorted-index.ts';
import type { PortalStore } from './store.ts';
import type { WriteLog } from './writes.ts';

/** What every route handler works with: one portal, its tokens, the write log and settings. */
export type SandboxContext = {
  store: PortalStore;
  tokens: TokenStore;
  writes: WriteLog;
  searchCache: SearchCache;
  sortedIndexes: SortedIndexes;
  enforceScopes: boolean;
};

/** The access token the request was made with (set by the auth middleware). */
export const callerOf = (res: Response): AccessToken => res.locals.caller as AccessToken;

/** How the caller's writes are attributed: HubSpot's INTEGRATION source with the app id. */
export function sourceOf(ctx: SandboxContext, res: Response): ChangeSource & { sourceLabel?: string } {
  const caller = callerOf(res);
  const app = ctx.tokens.appById(caller.appId);
  return {
    changeSource: 'INTEGRATION',
    sourceId: String(caller.appId),
    ...(app?.name === undefined ? {} : { sourceLabel: app.name }),
  };
}
