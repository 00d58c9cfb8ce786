import { Accordion, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { CardFinding } from '../../lib/contracts/common.ts';

const SEVERITY: Record<CardFinding['severity'], { label: string; variant: 'danger' | 'warning' | 'info' }> = {
  error: { label: 'Error', variant: 'danger' },
  warning: { label: 'Warning', variant: 'warning' },
  info: { label: 'Info', variant: 'info' },
};

/** Every open finding of the record as the engine reports it now, each with what fixes it. */
export function FindingsList({ findings }: { findings: CardFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <Accordion title={`All open findings (${findings.length})`} size="sm">
      <Flex direction="column" gap="sm">
        {findings.map((finding, index) => (
          <Flex key={`${finding.code}:${finding.field ?? ''}:${index}`} direction="row" gap="sm" align="start">
            <StatusTag variant={SEVERITY[finding.severity].variant}>{SEVERITY[finding.severity].label}</StatusTag>
            <Text>{finding.proposedFix}</Text>
          </Flex>
        ))}
      </Flex>
    </Accordion>
  );
}
