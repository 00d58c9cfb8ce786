import { useState } from 'react';
import {
  Alert,
  Divider,
  EmptyState,
  Flex,
  Heading,
  ProgressBar,
  StatusTag,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import type { CardApiResult } from '../../lib/card-api.ts';
import type { FieldToFill, StageTime } from '../../lib/contracts/common.ts';
import {
  DEAL_CARD_PATH,
  FILL_DEAL_FIELD_PATH,
  dealCard,
  type AttributionKind,
  type DealCardData,
} from '../../lib/contracts/deal.ts';
import type { Formatter } from '../../lib/format.ts';
import { CardFailed, CardLoading } from '../shared/CardStates.tsx';
import { ComplianceSummary } from '../shared/ComplianceSummary.tsx';
import { FindingsList } from '../shared/FindingsList.tsx';
import { useRecordCard, type RecordCardProps } from '../shared/record-card.ts';
import { AttributionPanel } from './AttributionPanel.tsx';
import { FieldToFillRow, fieldLabel } from './FieldToFillRow.tsx';

export type DealCardProps = RecordCardProps;

/**
 * The deal card (`crm.record.tab` on deals): compliance, the required fields missing for the current
 * and the next stage with an input to fill each, missing join keys, days in stage against its SLA, and
 * attribution under a chosen model. Data: `POST /cards/v1/deal` (server/cards/README.md).
 */
export function DealCard(props: DealCardProps) {
  const { actions } = props;
  const { view, read, write, format } = useRecordCard(props, DEAL_CARD_PATH, dealCard);
  const [saved, setSaved] = useState<string | null>(null);

  if (view.status === 'loading') return <CardLoading what="this deal" />;
  if (view.status === 'failed') {
    return (
      <CardFailed title="Closed Loop could not load this deal" message={view.message} onRetry={() => void read()} />
    );
  }
  const { data } = view;
  const selection = { model: data.attribution.model, kind: data.attribution.kind };

  const fill = async (property: string, value: string) => {
    setSaved(null);
    const result = await write(FILL_DEAL_FIELD_PATH, { property, value, ...selection });
    if (result.ok) {
      const field = [...data.missingFields.current, ...data.missingFields.next].find((f) => f.property === property);
      setSaved(savedMessage(field ? fieldLabel(field) : property, result.data));
      // HubSpot's own property panels show the value (and the values written back with it) at once.
      actions.refreshObjectProperties();
    }
    return result;
  };

  const select = (next: { model: string; kind: AttributionKind }) => void read(next);

  return (
    <Flex direction="column" gap="md">
      <ComplianceSummary
        stage={data.stage}
        compliance={data.compliance}
        extra={data.nextStage ? { label: 'Next stage', value: data.nextStage.label } : undefined}
      />
      {saved !== null ? (
        <Alert title="Saved in HubSpot" variant="success" testId="deal-saved">
          {saved}
        </Alert>
      ) : null}
      {data.inScope ? (
        <>
          <MissingFields
            title={data.stage ? `Required now (${data.stage.label})` : 'Required now'}
            empty="Every field this stage requires is filled in."
            fields={data.missingFields.current}
            onSave={fill}
          />
          {data.nextStage ? (
            <MissingFields
              title={`Also required to move to ${data.nextStage.label}`}
              empty={`Nothing more is needed to move to ${data.nextStage.label}.`}
              fields={data.missingFields.next}
              onSave={fill}
            />
          ) : null}
          <JoinKeys keys={data.missingJoinKeys} />
          <TimeInStage stage={data.stage?.label ?? 'this stage'} time={data.stageTime} format={format} />
          <FindingsList findings={data.findings} />
        </>
      ) : (
        <EmptyState title="No checks apply to this deal" imageName="deals" layout="horizontal" flush>
          <Text>
            This deal is in a pipeline or stage Closed Loop’s data policy does not cover, so no field is required of it
            and it has no compliance score.
          </Text>
        </EmptyState>
      )}
      <Divider />
      <AttributionPanel
        attribution={data.attribution}
        format={format}
        refreshing={view.refreshing}
        refreshError={view.refreshError}
        onSelect={select}
      />
    </Flex>
  );
}

function savedMessage(label: string, data: DealCardData): string {
  const compliance = data.compliance
    ? `compliance is now ${data.compliance.status} (score ${data.compliance.score}/100)`
    : 'the deal is outside the data policy';
  const left = data.missingFields.current.length;
  return `${label} saved; ${compliance}, ${left === 0 ? 'nothing' : left} left to fill for this stage.`;
}

function MissingFields({
  title,
  empty,
  fields,
  onSave,
}: {
  title: string;
  empty: string;
  fields: FieldToFill[];
  onSave: (property: string, value: string) => Promise<CardApiResult<unknown>>;
}) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>{title}</Heading>
      {fields.length === 0 ? (
        <Text>{empty}</Text>
      ) : (
        fields.map((field) => (
          <FieldToFillRow key={`${field.property}:${field.requiredFrom.id}`} field={field} onSave={onSave} />
        ))
      )}
    </Flex>
  );
}

function JoinKeys({ keys }: { keys: DealCardData['missingJoinKeys'] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Join keys</Heading>
      {keys.length === 0 ? (
        <Text>The deal is tied to its contacts, company and tickets as the policy needs.</Text>
      ) : (
        keys.map((key) => (
          <Flex key={`${key.code}:${key.key}`} direction="column" gap="xs" testId={`join-key-${key.key}`}>
            <Flex direction="row" gap="sm" align="center">
              <Text format={{ fontWeight: 'demibold' }}>{key.key}</Text>
              <StatusTag variant={key.problem === 'missing' ? 'warning' : 'danger'}>
                {key.problem === 'missing' ? 'Missing' : 'Does not match'}
              </StatusTag>
            </Flex>
            <Text variant="microcopy">{key.proposedFix}</Text>
          </Flex>
        ))
      )}
    </Flex>
  );
}

function TimeInStage({ stage, time, format }: { stage: string; time: StageTime; format: Formatter }) {
  const since = time.enteredAt ? ` since ${format.date(time.enteredAt)}` : '';
  return (
    <Flex direction="column" gap="sm">
      <Heading>Time in stage</Heading>
      {time.days === null ? (
        <Text>When the deal entered {stage} is not known, so its time there cannot be measured.</Text>
      ) : time.sla === null ? (
        <Text testId="time-in-stage">
          {time.days} {time.days === 1 ? 'day' : 'days'} in {stage}
          {since}; no SLA limits this stage.
        </Text>
      ) : (
        <Flex direction="column" gap="xs">
          <ProgressBar
            testId="time-in-stage"
            title={`${time.sla.label}: ${time.days} of ${time.sla.thresholdDays} days in ${stage}${since}`}
            value={Math.min(time.days, time.sla.thresholdDays)}
            maxValue={time.sla.thresholdDays}
            valueDescription={`${time.days} of ${time.sla.thresholdDays} days`}
            variant={time.sla.breached ? 'danger' : time.days >= time.sla.thresholdDays * 0.8 ? 'warning' : 'success'}
          />
          {time.sla.breached ? <StatusTag variant="danger">SLA breached</StatusTag> : null}
        </Flex>
      )}
    </Flex>
  );
}

hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <DealCard context={context} actions={actions} fetch={hubspot.fetch} />
));
