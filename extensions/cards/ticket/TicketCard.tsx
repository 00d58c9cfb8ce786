import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Heading,
  ProgressBar,
  Select,
  StatusTag,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import { CrmActionLink } from '@hubspot/ui-extensions/crm';
import type { CardApiResult } from '../../lib/card-api.ts';
import {
  SET_CHANGE_REQUEST_REASON_PATH,
  SET_CHECKLIST_ITEM_PATH,
  TICKET_CARD_PATH,
  ticketCard,
  type ChecklistItem,
  type TicketCardData,
  type TicketChecklist,
} from '../../lib/contracts/ticket.ts';
import type { Formatter } from '../../lib/format.ts';
import { CardFailed, CardLoading } from '../shared/CardStates.tsx';
import { ComplianceSummary } from '../shared/ComplianceSummary.tsx';
import { FindingsList } from '../shared/FindingsList.tsx';
import { useRecordCard, type RecordCardProps } from '../shared/record-card.ts';

/** HubSpot's object type id of deals, for links to the originating deal. */
const DEAL_OBJECT_TYPE = '0-3';

export type TicketCardProps = RecordCardProps;

/**
 * The ticket card (`crm.record.tab` on tickets): the handoff checklist (each item with who checked it
 * and when, and the progress written back as clr_handoff_pct / clr_handoff_complete), the originating
 * deal with its lead channel and the SLA promised (clr_sla_scope), the contract id match, and the
 * change-request reason as a governed Select. Data: `POST /cards/v1/ticket` (server/cards/README.md).
 */
export function TicketCard(props: TicketCardProps) {
  const { actions } = props;
  const { view, read, write, format } = useRecordCard(props, TICKET_CARD_PATH, ticketCard);

  if (view.status === 'loading') return <CardLoading what="this ticket" />;
  if (view.status === 'failed') {
    return (
      <CardFailed title="Closed Loop could not load this ticket" message={view.message} onRetry={() => void read()} />
    );
  }
  const { data } = view;

  /** Every write answers the ticket's new state; HubSpot's panels then show what was written back. */
  const change = async (path: string, extra: Record<string, unknown>) => {
    const result = await write(path, extra);
    if (result.ok) actions.refreshObjectProperties();
    return result;
  };

  const nothingApplies =
    !data.inScope && data.checklists.length === 0 && data.originDeal === null && data.contract === null;
  if (nothingApplies) {
    return (
      <Flex direction="column" gap="md">
        <ComplianceSummary stage={data.stage} compliance={data.compliance} />
        <EmptyState title="Nothing to hand off on this ticket" imageName="tickets" layout="horizontal" flush>
          <Text>
            This ticket is outside Closed Loop’s delivery pipeline and has no deal: no handoff checklist or contract
            check applies to it.
          </Text>
        </EmptyState>
      </Flex>
    );
  }

  return (
    <Flex direction="column" gap="md">
      <ComplianceSummary stage={data.stage} compliance={data.compliance} />
      {data.checklists.length === 0 ? (
        <Text>No checklist applies to this ticket.</Text>
      ) : (
        data.checklists.map((checklist) => (
          <Checklist
            key={checklist.id}
            checklist={checklist}
            format={format}
            onCheck={(item, checked) =>
              change(SET_CHECKLIST_ITEM_PATH, { checklist: checklist.id, item: item.id, checked })
            }
          />
        ))
      )}
      <Divider />
      <OriginDeal data={data} />
      <ChangeRequestReason
        reason={data.changeRequestReason}
        onSet={(value) => change(SET_CHANGE_REQUEST_REASON_PATH, { value })}
      />
      <FindingsList findings={data.findings} />
    </Flex>
  );
}

function Checklist({
  checklist,
  format,
  onCheck,
}: {
  checklist: TicketChecklist;
  format: Formatter;
  onCheck: (item: ChecklistItem, checked: boolean) => Promise<CardApiResult<TicketCardData>>;
}) {
  const [saving, setSaving] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const check = async (item: ChecklistItem, checked: boolean) => {
    setSaving(item.id);
    setRefusal(null);
    const result = await onCheck(item, checked);
    setSaving(null);
    if (!result.ok) setRefusal(result.message);
  };

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <Heading>{checklist.label}</Heading>
        {checklist.complete ? <StatusTag variant="success">Complete</StatusTag> : null}
      </Flex>
      <ProgressBar
        testId={`checklist-${checklist.id}-progress`}
        title={
          checklist.requiredFrom
            ? `${checklist.done} of ${checklist.total} done · all required from ${checklist.requiredFrom.label}`
            : `${checklist.done} of ${checklist.total} done`
        }
        value={checklist.percent}
        maxValue={100}
        showPercentage
        valueDescription={`${checklist.percent}%`}
        variant={checklist.complete ? 'success' : undefined}
      />
      {checklist.items.map((item) => (
        <Flex key={item.id} direction="column" gap="flush">
          <Checkbox
            testId={`item-${item.id}`}
            name={`clr-${checklist.id}-${item.id}`}
            value={item.id}
            checked={item.checked}
            readOnly={saving !== null}
            onChange={(checked) => void check(item, checked)}
          >
            {item.label}
          </Checkbox>
          {item.checked ? (
            <Text variant="microcopy" testId={`item-${item.id}-by`}>
              Checked by{' '}
              {item.checkedByEmail ?? (item.checkedByUserId ? `HubSpot user ${item.checkedByUserId}` : 'someone')}{' '}
              {item.checkedAt ? `on ${format.dateTime(item.checkedAt)}` : ''}
            </Text>
          ) : null}
        </Flex>
      ))}
      {refusal !== null ? (
        <Alert title="The checklist was not changed" variant="error">
          {refusal}
        </Alert>
      ) : null}
    </Flex>
  );
}

const CONTRACT: Record<
  NonNullable<TicketCardData['contract']>['status'],
  { label: string; variant: 'success' | 'danger' | 'warning' | 'info' | 'default' }
> = {
  match: { label: 'Matches the deal', variant: 'success' },
  mismatch: { label: 'No associated deal has it', variant: 'danger' },
  missing: { label: 'The ticket has no contract id', variant: 'warning' },
  no_deal: { label: 'No deal to check against', variant: 'warning' },
  not_checked: { label: 'Not checked at this stage', variant: 'default' },
};

function OriginDeal({ data }: { data: TicketCardData }) {
  const deal = data.originDeal;
  const contract = data.contract;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Originating deal</Heading>
      {deal === null ? (
        <Text>No deal is associated with this ticket.</Text>
      ) : (
        <DescriptionList direction="row">
          <DescriptionListItem label="Deal">
            <CrmActionLink
              actionType="RECORD_APP_LINK"
              actionContext={{ objectTypeId: DEAL_OBJECT_TYPE, objectId: Number(deal.id) }}
            >
              {deal.name ?? `Deal ${deal.id}`}
            </CrmActionLink>
          </DescriptionListItem>
          <DescriptionListItem label="Deal stage">
            <Text>{deal.stage?.label ?? 'Not mapped'}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Lead channel">
            <Text testId="lead-channel">{deal.leadChannel?.label ?? 'Not attributed yet'}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="SLA promised">
            <Text testId="sla-scope">{deal.slaScope ?? 'Not set on the deal (clr_sla_scope)'}</Text>
          </DescriptionListItem>
        </DescriptionList>
      )}
      {data.dealIds.length > 1 ? (
        <Text variant="microcopy">
          {data.dealIds.length} deals are associated; the one with the lowest id is taken as the origin.
        </Text>
      ) : null}
      {contract !== null ? (
        <Flex direction="row" gap="sm" align="center" testId="contract">
          <Text>
            Contract id {contract.ticketContractId ?? '—'}
            {deal?.contractId ? ` (deal: ${deal.contractId})` : ''}
          </Text>
          <StatusTag variant={CONTRACT[contract.status].variant}>{CONTRACT[contract.status].label}</StatusTag>
        </Flex>
      ) : null}
    </Flex>
  );
}

function ChangeRequestReason({
  reason,
  onSet,
}: {
  reason: TicketCardData['changeRequestReason'];
  onSet: (value: string) => Promise<CardApiResult<TicketCardData>>;
}) {
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  if (reason.picklist === null) return null;

  const set = async (value: string) => {
    setSaving(true);
    setOutcome(null);
    const result = await onSet(value);
    setSaving(false);
    if (result.ok) {
      const now = result.data.changeRequestReason;
      const label = now.options.find((o) => o.value === now.value)?.label;
      setOutcome({
        ok: true,
        message: label ? `Change-request reason set to ${label}.` : 'Change-request reason cleared.',
      });
    } else {
      setOutcome({ ok: false, message: result.message });
    }
  };

  const current = reason.valid && reason.value !== null ? reason.value : undefined;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Change request</Heading>
      <Select
        name="clr-change-request-reason"
        label="Change-request reason"
        placeholder="No change requested"
        options={reason.options}
        value={current}
        readOnly={saving}
        error={!reason.valid}
        validationMessage={
          !reason.valid && reason.value !== null ? `"${reason.value}" is not one of the governed reasons.` : undefined
        }
        onChange={(value) => void set(String(value))}
      />
      {reason.value !== null ? (
        <Button size="sm" variant="secondary" disabled={saving} onClick={() => void set('')}>
          Clear the reason
        </Button>
      ) : null}
      {outcome !== null ? (
        <Alert
          title={outcome.ok ? 'Saved in HubSpot' : 'The reason was not changed'}
          variant={outcome.ok ? 'success' : 'error'}
        >
          {outcome.message}
        </Alert>
      ) : null}
    </Flex>
  );
}

hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <TicketCard context={context} actions={actions} fetch={hubspot.fetch} />
));
