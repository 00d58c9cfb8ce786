import { useMemo } from 'react';
import type { CrmContext, ExtensionPointApiActions } from '@hubspot/ui-extensions';
import { CLOSED_LOOP_BASE_URL } from '../../lib/base-url.ts';
import type { Decoder, HubSpotFetch } from '../../lib/card-api.ts';
import { recordClaims } from '../../lib/claims.ts';
import { formatterFor } from '../../lib/format.ts';
import { useCard } from '../../lib/use-card.ts';

/** What every record card (deal, ticket, contact) takes: HubSpot's context and actions, and the fetch. */
export type RecordCardProps = {
  context: CrmContext;
  actions: Pick<ExtensionPointApiActions<'crm.record.tab'>, 'refreshObjectProperties'>;
  fetch: HubSpotFetch;
  /** The backend's origin; tests may point it elsewhere. */
  baseUrl?: string;
};

/**
 * A record card's state from the card API, asked for with the ids of the record HubSpot shows
 * (`useCard`), and the formatter for the viewing user's locale and time zone.
 */
export function useRecordCard<T>(props: RecordCardProps, readPath: string, decode: Decoder<T>) {
  const { context, fetch, baseUrl = CLOSED_LOOP_BASE_URL } = props;
  const claims = useMemo(() => recordClaims(context), [context]);
  const format = useMemo(() => formatterFor(context), [context]);
  return { ...useCard({ fetch, baseUrl }, claims, readPath, decode), format };
}
