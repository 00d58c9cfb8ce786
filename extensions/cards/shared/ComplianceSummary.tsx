import { DescriptionList, DescriptionListItem, Flex, StatusTag, Text } from '@hubspot/ui-extensions';
import type { Compliance, StageRef } from '../../lib/contracts/common.ts';

const STATUS: Record<Compliance['status'], { label: string; variant: 'success' | 'warning' | 'danger' }> = {
  compliant: { label: 'Compliant', variant: 'success' },
  incomplete: { label: 'Incomplete', variant: 'warning' },
  invalid: { label: 'Invalid', variant: 'danger' },
};

/** The record's stage and its compliance with the data standard (status, score and the checks behind it). */
export function ComplianceSummary({
  stage,
  compliance,
  extra,
}: {
  stage: StageRef | null;
  compliance: Compliance | null;
  extra?: { label: string; value: string };
}) {
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Stage">
        <Text>{stage?.label ?? 'Not mapped'}</Text>
      </DescriptionListItem>
      {extra ? (
        <DescriptionListItem label={extra.label}>
          <Text>{extra.value}</Text>
        </DescriptionListItem>
      ) : null}
      <DescriptionListItem label="Compliance">
        {compliance ? (
          <Flex direction="column" gap="xs">
            <StatusTag variant={STATUS[compliance.status].variant}>{STATUS[compliance.status].label}</StatusTag>
            <Text testId="compliance-score">
              Score {compliance.score}/100 · {compliance.passed} of {compliance.applicable} checks pass
            </Text>
          </Flex>
        ) : (
          <Text testId="compliance-score">Not scored: outside the data policy</Text>
        )}
      </DescriptionListItem>
    </DescriptionList>
  );
}
