import { useState } from 'react';
import {
  Accordion,
  Alert,
  DescriptionList,
  DescriptionListItem,
  Divider,
  EmptyState,
  Flex,
  Heading,
  LoadingButton,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import { CrmActionLink } from '@hubspot/ui-extensions/crm';

import type { SlaState } from '../../lib/contracts/common.ts';
import {
  ACCEPT_LEAD_PATH,
  CONTACT_CARD_PATH,
  contactCard,
  type ContactCardData,
  type ContactTouch,
  type TimelineEntry,
} from '../../lib/contracts/contact.ts';
import type { Formatter } from '../../lib/format.ts';
import { CardFailed, CardLoading } from '../shared/CardStates.tsx';
import { ComplianceSummary } from '../shared/ComplianceSummary.tsx';
import { FindingsList } from '../shared/FindingsList.tsx';
import { useRecordCard, type RecordCardProps } from '../shared/record-card.ts';

/** HubSpot's object type id of contacts, for links to the surviving record of a duplicate. */
const CONTACT_OBJECT_TYPE = '0-1';

export type ContactCardProps = RecordCardProps;

/**
 * The contact card (`crm.record.tab` on contacts): the lifecycle timeline with entered-at times and
 * skipped / backward / out-of-order flags, touches (first, last, channel, campaign), duplicates with a
 * link to the survivor, the SLAs that apply now, and "Accept lead" (sets clr_sal_date on an MQL).
 * Data: `POST /cards/v1/contact` (server/cards/README.md).
 */
export function ContactCard(props: ContactCardProps) {
  const { actions } = props;
  const { view, read, write, format } = useRecordCard(props, CONTACT_CARD_PATH, contactCard);
  const [accepting, setAccepting] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);

  if (view.status === 'loading') return <CardLoading what="this contact" />;
  if (view.status === 'failed') {
    return (
      <CardFailed title="Closed Loop could not load this contact" message={view.message} onRetry={() => void read()} />
    );
  }
  const { data } = view;

  const accept = async () => {
    setAccepting(true);
    setOutcome(null);
    const result = await write(ACCEPT_LEAD_PATH, {});
    setAccepting(false);
    if (result.ok) {
      setOutcome({ ok: true, message: `Lead accepted on ${format.dateTime(result.data.acceptLead.acceptedAt)}.` });
      actions.refreshObjectProperties();
    } else {
      setOutcome({ ok: false, message: result.message });
    }
  };

  return (
    <Flex direction="column" gap="md">
      <ComplianceSummary stage={data.stage} compliance={data.compliance} />
      <AcceptLead acceptLead={data.acceptLead} accepting={accepting} onAccept={() => void accept()} format={format} />
      {outcome !== null ? (
        <Alert
          title={outcome.ok ? 'Saved in HubSpot' : 'The lead was not accepted'}
          variant={outcome.ok ? 'success' : 'error'}
          testId="accept-lead-outcome"
        >
          {outcome.message}
        </Alert>
      ) : null}
      <Timeline timeline={data.timeline} format={format} />
      <Divider />
      <Touches touches={data.touches} format={format} />
      <Duplicates duplicates={data.duplicates} />
      <Slas slas={data.slas} />
      <FindingsList findings={data.findings} />
    </Flex>
  );
}

function AcceptLead({
  acceptLead,
  accepting,
  onAccept,
  format,
}: {
  acceptLead: ContactCardData['acceptLead'];
  accepting: boolean;
  onAccept: () => void;
  format: Formatter;
}) {
  if (acceptLead.acceptedAt !== null && !acceptLead.available) {
    return <Text testId="accepted-at">Lead accepted by sales on {format.dateTime(acceptLead.acceptedAt)}.</Text>;
  }
  return (
    <Flex direction="row" gap="sm" align="center">
      <LoadingButton
        variant="primary"
        loading={accepting}
        disabled={!acceptLead.available || accepting}
        onClick={() => onAccept()}
      >
        Accept lead
      </LoadingButton>
      {acceptLead.reason !== null ? <Text variant="microcopy">{acceptLead.reason}</Text> : null}
    </Flex>
  );
}

function Timeline({ timeline, format }: { timeline: TimelineEntry[]; format: Formatter }) {
  if (timeline.length === 0) {
    return (
      <EmptyState title="Not in the lifecycle" imageName="contacts" layout="horizontal" flush>
        <Text>This contact is outside Closed Loop’s data policy: it has no lifecycle timeline.</Text>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Heading>Lifecycle</Heading>
      <Table bordered testId="timeline">
        <TableHead>
          <TableRow>
            <TableHeader>Stage</TableHeader>
            <TableHeader>Entered</TableHeader>
            <TableHeader>Notes</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {timeline.map((entry) => (
            <TableRow key={entry.stage.id}>
              <TableCell>{entry.stage.label}</TableCell>
              <TableCell>{entry.enteredAt ? format.dateTime(entry.enteredAt) : 'Not entered'}</TableCell>
              <TableCell>
                <Flex direction="row" gap="xs" wrap>
                  {entry.current ? <Tag variant="info">Current</Tag> : null}
                  {entry.skipped ? <Tag variant="warning">Skipped</Tag> : null}
                  {entry.movedBackFrom ? <Tag variant="warning">Moved back from here</Tag> : null}
                  {entry.outOfOrder ? <Tag variant="warning">Out of order</Tag> : null}
                </Flex>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}

function touchLine(touch: ContactTouch, format: Formatter): string {
  const campaign = touch.campaignId ? `, campaign ${touch.campaignId}` : '';
  return `${format.dateTime(touch.occurredAt)} · ${touch.channelLabel}${campaign}`;
}

function Touches({ touches, format }: { touches: ContactCardData['touches']; format: Formatter }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Touches</Heading>
      {touches.count === 0 || touches.first === null || touches.last === null ? (
        <Text>No touch is recorded for this contact.</Text>
      ) : (
        <>
          <DescriptionList direction="row">
            <DescriptionListItem label="Touches">
              <Text>{touches.count}</Text>
            </DescriptionListItem>
            <DescriptionListItem label="First">
              <Text testId="first-touch">{touchLine(touches.first, format)}</Text>
            </DescriptionListItem>
            <DescriptionListItem label="Last">
              <Text testId="last-touch">{touchLine(touches.last, format)}</Text>
            </DescriptionListItem>
          </DescriptionList>
          {touches.recent.length > 0 ? (
            <Accordion title={`Recent touches (${touches.recent.length})`} size="sm">
              <Table bordered density="condensed">
                <TableHead>
                  <TableRow>
                    <TableHeader>When</TableHeader>
                    <TableHeader>Channel</TableHeader>
                    <TableHeader>Campaign</TableHeader>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {touches.recent.map((touch) => (
                    <TableRow key={touch.id}>
                      <TableCell>{format.dateTime(touch.occurredAt)}</TableCell>
                      <TableCell>{touch.channelLabel}</TableCell>
                      <TableCell>{touch.campaignId ?? '—'}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Accordion>
          ) : null}
        </>
      )}
    </Flex>
  );
}

function ContactLink({ id, children }: { id: string; children: string }) {
  return (
    <CrmActionLink
      actionType="RECORD_APP_LINK"
      actionContext={{ objectTypeId: CONTACT_OBJECT_TYPE, objectId: Number(id) }}
    >
      {children}
    </CrmActionLink>
  );
}

function Duplicates({ duplicates }: { duplicates: ContactCardData['duplicates'] }) {
  const key = duplicates.property ? `the same ${duplicates.property}` : 'the same key';
  return (
    <Flex direction="column" gap="sm">
      <Heading>Duplicates</Heading>
      {duplicates.survivorId !== null ? (
        <Alert title="This contact is a duplicate" variant="warning" testId="duplicate-of">
          It shares {key} with contact {duplicates.survivorId}, which Closed Loop keeps as the survivor. Merge it into
          the survivor.
        </Alert>
      ) : null}
      {duplicates.survivorId !== null ? (
        <ContactLink id={duplicates.survivorId}>{`Open the surviving contact (${duplicates.survivorId})`}</ContactLink>
      ) : null}
      {duplicates.others.length === 0 ? (
        <Text>No other contact has {key}.</Text>
      ) : (
        <Flex direction="column" gap="xs">
          <Text variant="microcopy">Other contacts with {key}:</Text>
          {duplicates.others.map((other) => (
            <Flex key={other.id} direction="row" gap="xs" align="center">
              <ContactLink id={other.id}>{`Contact ${other.id}`}</ContactLink>
              {other.survivor ? <Tag variant="success">Survivor</Tag> : null}
            </Flex>
          ))}
        </Flex>
      )}
    </Flex>
  );
}

function Slas({ slas }: { slas: SlaState[] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>SLAs</Heading>
      {slas.length === 0 ? (
        <Text>No SLA applies to this contact now.</Text>
      ) : (
        slas.map((sla) => (
          <Flex key={sla.id} direction="column" gap="xs" testId={`sla-${sla.id}`}>
            <Flex direction="row" gap="sm" align="center">
              <Text format={{ fontWeight: 'demibold' }}>{sla.label}</Text>
              <StatusTag variant={sla.breached ? 'danger' : 'success'}>
                {sla.breached ? 'Breached' : 'On track'}
              </StatusTag>
            </Flex>
            {sla.proposedFix !== null ? <Text variant="microcopy">{sla.proposedFix}</Text> : null}
          </Flex>
        ))
      )}
    </Flex>
  );
}

hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <ContactCard context={context} actions={actions} fetch={hubspot.fetch} />
));
