import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Button,
  DescriptionList,
  Divider,
  DescriptionListItem,
  Flex,
  Heading,
  List,
  LoadingSpinner,
  StatusTag,
  Text,
  hubspot,
  type SettingsContext,
} from '@hubspot/ui-extensions';
import { CLOSED_LOOP_BASE_URL } from '../lib/base-url.ts';
import { callCardApi, type HubSpotFetch } from '../lib/card-api.ts';
import { userClaims } from '../lib/claims.ts';
import { ADMIN_LINK_PATH, adminLink, type AdminLink } from '../lib/contracts/admin-link.ts';
import { ADMIN_SUMMARY_PATH, adminSummary, type AdminSummary } from '../lib/contracts/admin-summary.ts';
import { formatterFor } from '../lib/format.ts';
import { SummarySections } from './SummarySections.tsx';

export type SettingsPageProps = {
  context: SettingsContext;
  fetch: HubSpotFetch;
  baseUrl?: string;
};

/** What `POST /admin/link` says about this account and user. */
type Status =
  | { kind: 'checking' }
  | { kind: 'admin'; link: AdminLink }
  | { kind: 'not_installed'; message: string }
  | { kind: 'not_admin'; message: string }
  | { kind: 'failed'; message: string };

/** What `POST /admin/summary` answered; asked once the link shows the user is an admin. */
type Summary =
  { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; data: AdminSummary } | { kind: 'failed'; message: string };

/**
 * The app's settings page in HubSpot. Everything is configured on Closed Loop's admin page, which the
 * backend serves; this page asks the backend for a signed entry link (`POST /admin/link`, signed by
 * HubSpot like the cards' requests) and its answer is the account's status: installed and this user an
 * admin (the link is shown as a button opening the page in a new tab), not installed, or not an admin.
 * A link opens the page once, within 5 minutes, so following it asks for the next one.
 *
 * An admin also sees the account's status (`POST /admin/summary`, same signature and same admins):
 * the sync, the last run of each loop and the policy in brief. It is asked only once the link says
 * the user is an admin (others make one request, and see nothing of it), and it stands apart from the
 * link: a summary that fails shows its own error and retry while the link keeps working.
 */
export function SettingsPage({ context, fetch, baseUrl = CLOSED_LOOP_BASE_URL }: SettingsPageProps) {
  const claims = useMemo(() => userClaims(context), [context]);
  const format = useMemo(() => formatterFor(context), [context]);
  const [status, setStatus] = useState<Status>({ kind: 'checking' });
  const [summary, setSummary] = useState<Summary>({ kind: 'idle' });
  const latest = useRef(0);
  const latestSummary = useRef(0);
  const claimsKey = JSON.stringify(claims);

  const check = useCallback(async () => {
    const request = ++latest.current;
    const result = await callCardApi(fetch, baseUrl, ADMIN_LINK_PATH, JSON.parse(claimsKey), adminLink);
    if (request !== latest.current) return;
    if (result.ok) {
      // The link must lead to this backend; anything else is not followed.
      if (sameOrigin(result.data.url, baseUrl)) setStatus({ kind: 'admin', link: result.data });
      else setStatus({ kind: 'failed', message: 'Closed Loop sent a link this page could not use.' });
    } else if (result.code === 'not_found') {
      setStatus({ kind: 'not_installed', message: result.message });
    } else if (result.code === 'forbidden') {
      setStatus({ kind: 'not_admin', message: result.message });
    } else {
      setStatus({ kind: 'failed', message: result.message });
    }
  }, [fetch, baseUrl, claimsKey]);

  useEffect(() => {
    void check();
  }, [check]);

  const loadSummary = useCallback(async () => {
    const request = ++latestSummary.current;
    setSummary({ kind: 'loading' });
    const result = await callCardApi(fetch, baseUrl, ADMIN_SUMMARY_PATH, JSON.parse(claimsKey), adminSummary);
    if (request !== latestSummary.current) return;
    setSummary(result.ok ? { kind: 'ready', data: result.data } : { kind: 'failed', message: result.message });
  }, [fetch, baseUrl, claimsKey]);

  const isAdmin = status.kind === 'admin';
  useEffect(() => {
    // Once per page: a new link (each click) leaves the summary as it is; "Refresh" asks again.
    if (isAdmin && summary.kind === 'idle') void loadSummary();
  }, [isAdmin, summary.kind, loadSummary]);

  return (
    <Flex direction="column" gap="md">
      <Heading>Closed Loop</Heading>
      <Text>
        Closed Loop checks your CRM records against your data policy, credits deals to the channels that sourced them
        and writes the results back into HubSpot. Its policy, dashboards, issue log, decision log, sync status, ingest
        API keys and admins are managed on its admin page.
      </Text>
      <DescriptionList direction="row">
        <DescriptionListItem label="HubSpot account">
          <Text>{context.portal.id}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Status">
          <StatusLabel status={status} />
        </DescriptionListItem>
      </DescriptionList>
      {status.kind === 'checking' ? <LoadingSpinner label="Checking this account with Closed Loop" showLabel /> : null}
      {status.kind === 'admin' ? (
        <Flex direction="column" gap="sm">
          <Button
            testId="open-admin-page"
            variant="primary"
            href={{ url: status.link.url, external: true }}
            // The link is spent once followed: fetch the next one for the next click.
            onClick={() => void check()}
          >
            Open the admin page
          </Button>
          <Text variant="microcopy">
            Opens in a new tab. The link works once, until {format.dateTime(status.link.expiresAt)}.
          </Text>
          <Button variant="secondary" size="sm" onClick={() => void check()}>
            Get a new link
          </Button>
          <Divider />
          {summary.kind === 'loading' || summary.kind === 'idle' ? (
            <LoadingSpinner label="Loading the account’s status from Closed Loop" showLabel />
          ) : null}
          {summary.kind === 'failed' ? (
            <Flex direction="column" gap="sm">
              <Alert title="The account’s status could not be loaded" variant="error">
                {summary.message} The admin page shows it too.
              </Alert>
              <Button variant="secondary" onClick={() => void loadSummary()}>
                Load the status again
              </Button>
            </Flex>
          ) : null}
          {summary.kind === 'ready' ? (
            <Flex direction="column" gap="sm">
              <SummarySections summary={summary.data} format={format} />
              <Flex direction="row" gap="sm" align="center">
                <Text variant="microcopy">As of {format.dateTime(summary.data.generatedAt)}.</Text>
                <Button variant="secondary" size="xs" onClick={() => void loadSummary()}>
                  Refresh the status
                </Button>
              </Flex>
            </Flex>
          ) : null}
        </Flex>
      ) : null}
      {status.kind === 'not_installed' ? (
        <Alert title="Closed Loop is not installed" variant="warning">
          {status.message} Install it from the HubSpot App Marketplace, then come back to this page.
        </Alert>
      ) : null}
      {status.kind === 'not_admin' ? (
        <Alert title="Only Closed Loop admins can open the admin page" variant="info">
          {status.message} The user who installed Closed Loop, or an admin they added, can add you on the admin page.
        </Alert>
      ) : null}
      {status.kind === 'failed' ? (
        <Flex direction="column" gap="sm">
          <Alert title="Closed Loop could not be checked" variant="error">
            {status.message}
          </Alert>
          <Button variant="secondary" onClick={() => void check()}>
            Try again
          </Button>
        </Flex>
      ) : null}
      <Heading>On the admin page</Heading>
      <List variant="unordered-styled">
        <Text>Definitions: the data policy (stages, required fields, picklists, SLAs, attribution models)</Text>
        <Text>Dashboards and reports, the issue log and the decision log</Text>
        <Text>Sync status and history, ingest API keys, and who else may administer Closed Loop</Text>
      </List>
    </Flex>
  );
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

function StatusLabel({ status }: { status: Status }) {
  switch (status.kind) {
    case 'checking':
      return <StatusTag variant="default">Checking…</StatusTag>;
    case 'admin':
      return <StatusTag variant="success">Installed · you are an admin</StatusTag>;
    case 'not_admin':
      return <StatusTag variant="info">Installed · you are not an admin</StatusTag>;
    case 'not_installed':
      return <StatusTag variant="warning">Not installed</StatusTag>;
    case 'failed':
      return <StatusTag variant="danger">Unknown</StatusTag>;
  }
}

hubspot.extend<'settings'>(({ context }) => <SettingsPage context={context} fetch={hubspot.fetch} />);
