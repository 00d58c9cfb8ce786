import { useCallback, useEffect, useRef, useState } from 'react';
import { callCardApi, type CardApiResult, type Decoder, type HubSpotFetch } from './card-api.ts';

/** What a card shows: its first load, its failure, or its state (with any refresh under way). */
export type CardView<T> =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; data: T; refreshing: boolean; refreshError: string | null };

export type CardBackend = { fetch: HubSpotFetch; baseUrl: string };

/**
 * One card's state from the card API. `read(extra)` (re)loads it, keeping what is shown while it
 * reloads; `write(path, extra)` sends a change, and the backend's answer (the card's new state) replaces
 * what is shown. Every request carries `claims`. Answers are applied in the order the requests were
 * sent: an answer older than one already shown is dropped (a slow first model, then a quick second).
 */
export function useCard<T>(
  backend: CardBackend,
  claims: Record<string, unknown>,
  readPath: string,
  decode: Decoder<T>,
): {
  view: CardView<T>;
  read: (extra?: Record<string, unknown>) => Promise<void>;
  write: (path: string, extra: Record<string, unknown>) => Promise<CardApiResult<T>>;
} {
  const [view, setView] = useState<CardView<T>>({ status: 'loading' });
  const order = useRef({ sent: 0, shown: 0 });
  const { fetch, baseUrl } = backend;
  // The claims are a few primitives; a new object with the same ids must not reload the card.
  const claimsKey = JSON.stringify(claims);

  const send = useCallback(
    async (path: string, extra: Record<string, unknown>) => {
      const sequence = ++order.current.sent;
      const result = await callCardApi(fetch, baseUrl, path, { ...JSON.parse(claimsKey), ...extra }, decode);
      const current = sequence > order.current.shown;
      if (current && result.ok) order.current.shown = sequence;
      return { result, current };
    },
    [fetch, baseUrl, claimsKey, decode],
  );

  const read = useCallback(
    async (extra: Record<string, unknown> = {}) => {
      setView((shown) =>
        shown.status === 'ready' ? { ...shown, refreshing: true, refreshError: null } : { status: 'loading' },
      );
      const { result, current } = await send(readPath, extra);
      if (!current) return;
      setView((shown) => {
        if (result.ok) return { status: 'ready', data: result.data, refreshing: false, refreshError: null };
        if (shown.status === 'ready') return { ...shown, refreshing: false, refreshError: result.message };
        return { status: 'failed', message: result.message };
      });
    },
    [send, readPath],
  );

  const write = useCallback(
    async (path: string, extra: Record<string, unknown>) => {
      const { result, current } = await send(path, extra);
      if (result.ok && current) setView({ status: 'ready', data: result.data, refreshing: false, refreshError: null });
      return result;
    },
    [send],
  );

  useEffect(() => {
    void read();
  }, [read]);

  return { view, read, write };
}
