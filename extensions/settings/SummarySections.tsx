import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { AdminSummary, LoopBrief, SyncRunBrief } from '../lib/contracts/admin-summary.ts';
import type { Formatter } from '../lib/format.ts';

type RunStatus = SyncRunBrief['status'];

const STATUS: Record<RunStatus, { variant: 'info' | 'success' | 'danger'; text: string }> = {
  running: { variant: 'info', text: 'Running' },
  succeeded: { variant: 'success', text: 'Succeeded' },
  failed: { variant: 'danger', text: 'Failed' },
};

/**
 * What `POST /admin/summary` tells an admin, in three sections: the sync (is a run going, the last
 * full and incremental runs, how current the mirror is), the last run of each loop, and the policy in
 * brief with the open findings. Times in the portal's time zone (lib/format.ts).
 */
export function SummarySections({ summary, format }: { summary: AdminSummary; format: Formatter }) {
  const { sync, policy } = summary;
  const stages = policy.stages;
  return (
    <Flex direction="column" gap="md">
      <Heading>Sync</Heading>
      <Flex direction="row" gap="sm" align="center">
        <Text>Now:</Text>
        {sync.running ? (
          <StatusTag testId="sync-now" variant="info">
            A sync is running
          </StatusTag>
        ) : (
          <StatusTag testId="sync-now" variant="default">
            Idle
          </StatusTag>
        )}
      </Flex>
      <Table testId="sync-runs" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Run</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Started</TableHeader>
            <TableHeader>Finished</TableHeader>
            <TableHeader>Records</TableHeader>
            <TableHeader>Errors</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          <SyncRunRow label="Last full sync" run={sync.lastFull} format={format} />
          <SyncRunRow label="Last incremental sync" run={sync.lastIncremental} format={format} />
        </TableBody>
      </Table>
      {[sync.lastFull, sync.lastIncremental].map((run) =>
        run?.status === 'failed' && run.errorMessage !== null ? (
          <Text key={run.kind} variant="microcopy">
            {run.kind === 'full' ? 'Full' : 'Incremental'} sync failed: {run.errorMessage}
          </Text>
        ) : null,
      )}
      <Text variant="microcopy">
        Last successful full sync: {format.dateTime(sync.lastSucceededAt.full)}. Last successful incremental sync:{' '}
        {format.dateTime(sync.lastSucceededAt.incremental)}.
      </Text>

      <Heading>The loop</Heading>
      <Table testId="loops" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Loop</TableHeader>
            <TableHeader>Runs</TableHeader>
            <TableHeader>Last run</TableHeader>
            <TableHeader>Result</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {summary.loops.map((loop) => (
            <LoopRow key={loop.loop} loop={loop} format={format} />
          ))}
        </TableBody>
      </Table>

      <Heading>Policy</Heading>
      <Text testId="policy-version">
        Definitions version {policy.version}, changed by {policy.changedBy} on {format.dateTime(policy.changedAt)}:{' '}
        {policy.reason}
      </Text>
      <DescriptionList direction="row">
        <DescriptionListItem label="Stages">
          <Text>
            {stages.contact} contact · {stages.deal} deal · {stages.ticket} ticket
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Required fields">
          <Text>{policy.requiredFields}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Picklists">
          <Text>{policy.picklists}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="SLAs">
          <Text>{policy.slas}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Default attribution model">
          <Text>
            {policy.attribution.defaultModel.label} ({policy.attribution.enabledModels} of {policy.attribution.models}{' '}
            models enabled)
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Open findings">
          <Text testId="open-findings">{format.count(summary.openFindings)}</Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

function SyncRunRow({ label, run, format }: { label: string; run: SyncRunBrief | null; format: Formatter }) {
  if (run === null)
    return (
      <TableRow>
        <TableCell>{label}</TableCell>
        <TableCell>
          <StatusTag variant="default">Not run yet</StatusTag>
        </TableCell>
        <TableCell>—</TableCell>
        <TableCell>—</TableCell>
        <TableCell>—</TableCell>
        <TableCell>—</TableCell>
      </TableRow>
    );
  return (
    <TableRow>
      <TableCell>{label}</TableCell>
      <TableCell>
        <StatusTag variant={STATUS[run.status].variant}>{STATUS[run.status].text}</StatusTag>
      </TableCell>
      <TableCell>{format.dateTime(run.startedAt)}</TableCell>
      <TableCell>{format.dateTime(run.finishedAt)}</TableCell>
      <TableCell>{format.count(run.records)}</TableCell>
      <TableCell>{format.count(run.errors)}</TableCell>
    </TableRow>
  );
}

function LoopRow({ loop, format }: { loop: LoopBrief; format: Formatter }) {
  const status = loop.status === null ? { variant: 'default' as const, text: 'Not run yet' } : STATUS[loop.status];
  const result = [loop.period, loop.detail].filter((part) => part !== null).join(' · ');
  return (
    <TableRow>
      <TableCell>{loop.label}</TableCell>
      <TableCell>{loop.schedule}</TableCell>
      <TableCell>{format.dateTime(loop.lastRunAt)}</TableCell>
      <TableCell>
        <Flex direction="column" gap="xs">
          <StatusTag variant={status.variant}>{status.text}</StatusTag>
          {result !== '' ? <Text variant="microcopy">{result}</Text> : null}
        </Flex>
      </TableCell>
    </TableRow>
  );
}
