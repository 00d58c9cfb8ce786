import { useState } from 'react';
import {
  Alert,
  BarChart,
  DescriptionList,
  DescriptionListItem,
  EmptyState,
  Flex,
  Heading,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { AttributionKind, DealAttribution } from '../../lib/contracts/deal.ts';
import type { Formatter } from '../../lib/format.ts';

const KINDS: { value: AttributionKind; label: string }[] = [
  { value: 'pipeline', label: 'Pipeline (the deal’s creation)' },
  { value: 'revenue', label: 'Revenue (the deal’s close)' },
];

const SOURCES: Record<DealAttribution['touches'][number]['source'], string> = {
  hubspot_event: 'HubSpot',
  ingest: 'Ingest API',
  derived: 'Derived',
};

const TOUCHES_PER_PAGE = 10;

/**
 * The deal's attribution: a model (and kind) selector that re-reads the card, credit by channel as a
 * bar chart, the touches behind it, and whether a trackable touch carries the credit (coverage).
 */
export function AttributionPanel({
  attribution,
  format,
  refreshing,
  refreshError,
  onSelect,
}: {
  attribution: DealAttribution;
  format: Formatter;
  refreshing: boolean;
  refreshError: string | null;
  onSelect: (selection: { model: string; kind: AttributionKind }) => void;
}) {
  const { coverage } = attribution;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Attribution</Heading>
      <Flex direction="row" gap="sm" wrap>
        <Select
          name="clr-attribution-model"
          label="Attribution model"
          options={attribution.models.map((m) => ({ value: m.id, label: m.label }))}
          value={attribution.model}
          readOnly={refreshing}
          onChange={(model) => onSelect({ model: String(model), kind: attribution.kind })}
        />
        <Select
          name="clr-attribution-kind"
          label="Credit of"
          options={KINDS}
          value={attribution.kind}
          readOnly={refreshing}
          onChange={(kind) => onSelect({ model: attribution.model, kind: kind === 'revenue' ? 'revenue' : 'pipeline' })}
        />
      </Flex>
      {refreshing ? <LoadingSpinner label="Loading the credit under this model" size="sm" /> : null}
      {refreshError !== null ? (
        <Alert title="This model could not be loaded" variant="error">
          {refreshError}
        </Alert>
      ) : null}
      {attribution.computedAt === null ? (
        <EmptyState title="No attribution yet" imageName="emptyStateCharts" layout="horizontal" flush>
          <Text>
            Attribution has not credited this deal under this model yet. It runs after each sync; a deal needs an amount
            and, for revenue, to be won.
          </Text>
        </EmptyState>
      ) : (
        <Flex direction="column" gap="sm">
          <Text testId="attribution-total">
            {format.money(attribution.creditedCents)} credited, computed {format.dateTime(attribution.computedAt)}
          </Text>
          {attribution.byChannel.length > 0 ? (
            <BarChart
              testId="credit-by-channel"
              data={attribution.byChannel.map((c) => ({ channel: c.label, credit: c.cents / 100 }))}
              axes={{
                x: { field: 'channel', fieldType: 'category', label: 'Channel' },
                y: { field: 'credit', fieldType: 'linear', label: 'Credit' },
              }}
              options={{ showLegend: false, showTooltips: true, showDataLabels: true }}
            />
          ) : null}
          <TouchesTable
            key={`${attribution.model}:${attribution.kind}`}
            touches={attribution.touches}
            format={format}
          />
        </Flex>
      )}
      <DescriptionList direction="row">
        <DescriptionListItem label="Deals covered">
          <Text testId="coverage-deals">
            {coverage.deals.covered} of {coverage.deals.total} ({format.percent(coverage.deals.ratio)})
          </Text>
        </DescriptionListItem>
        <DescriptionListItem label="Amount covered">
          <Text testId="coverage-amount">
            {format.money(coverage.amountCents.covered)} of {format.money(coverage.amountCents.total)} (
            {format.percent(coverage.amountCents.ratio)})
          </Text>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}

function TouchesTable({ touches, format }: { touches: DealAttribution['touches']; format: Formatter }) {
  const [page, setPage] = useState(1);
  if (touches.length === 0) return <Text>No touch carries credit: it all goes to unattributed.</Text>;
  const pageCount = Math.ceil(touches.length / TOUCHES_PER_PAGE);
  const shown = touches.slice((page - 1) * TOUCHES_PER_PAGE, page * TOUCHES_PER_PAGE);
  const rows = shown.map((touch) => (
    <TableRow key={touch.id}>
      <TableCell>{format.dateTime(touch.occurredAt)}</TableCell>
      <TableCell>
        <Flex direction="row" gap="xs">
          <Text>{touch.channelLabel}</Text>
          {touch.trackable ? null : <Tag variant="warning">not trackable</Tag>}
        </Flex>
      </TableCell>
      <TableCell>{touch.campaignId ?? '—'}</TableCell>
      <TableCell>{SOURCES[touch.source]}</TableCell>
      <TableCell align="right">{format.money(touch.cents)}</TableCell>
    </TableRow>
  ));
  const head = (
    <TableHead>
      <TableRow>
        <TableHeader>When</TableHeader>
        <TableHeader>Channel</TableHeader>
        <TableHeader>Campaign</TableHeader>
        <TableHeader>Source</TableHeader>
        <TableHeader align="right">Credit</TableHeader>
      </TableRow>
    </TableHead>
  );
  return pageCount > 1 ? (
    <Table testId="attribution-touches" bordered paginated pageCount={pageCount} page={page} onPageChange={setPage}>
      {head}
      <TableBody>{rows}</TableBody>
    </Table>
  ) : (
    <Table testId="attribution-touches" bordered>
      {head}
      <TableBody>{rows}</TableBody>
    </Table>
  );
}
