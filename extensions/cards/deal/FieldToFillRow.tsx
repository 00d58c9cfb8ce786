import { useState } from 'react';
import {
  Alert,
  DateInput,
  Flex,
  Input,
  LoadingButton,
  NumberInput,
  Select,
  Text,
  Tile,
  type BaseDate,
} from '@hubspot/ui-extensions';
import type { CardApiResult } from '../../lib/card-api.ts';
import type { FieldToFill } from '../../lib/contracts/common.ts';

/** HubSpot's labels of its own deal properties (the card API sends `label: null` for them). */
const HUBSPOT_LABELS: Record<string, string> = {
  amount: 'Amount',
  closedate: 'Close date',
  dealname: 'Deal name',
  dealstage: 'Deal stage',
  pipeline: 'Pipeline',
  hubspot_owner_id: 'Deal owner',
  dealtype: 'Deal type',
};

export function fieldLabel(field: Pick<FieldToFill, 'label' | 'property'>): string {
  return field.label ?? HUBSPOT_LABELS[field.property] ?? field.property;
}

/** What the person entered, as the backend takes it, or why it cannot be sent yet. */
type Draft = { value: string | null; problem: string | null };
const EMPTY: Draft = { value: null, problem: null };

/**
 * One required field the deal fails, with the input its rule calls for and a save that writes it to
 * HubSpot through the backend. A refused value shows the backend's message under the input.
 */
export function FieldToFillRow({
  field,
  onSave,
}: {
  field: FieldToFill;
  onSave: (property: string, value: string) => Promise<CardApiResult<unknown>>;
}) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const label = fieldLabel(field);

  const save = async () => {
    if (draft.value === null) return;
    setSaving(true);
    setRefusal(null);
    const result = await onSave(field.property, draft.value);
    setSaving(false);
    if (!result.ok) setRefusal(result.message);
  };

  return (
    <Tile compact testId={`field-${field.property}`}>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }}>{label}</Text>
        <Text variant="microcopy">
          {problemText(field)} {field.proposedFix}
        </Text>
        <FieldInputControl field={field} label={label} onDraft={setDraft} />
        <Flex direction="row" gap="sm" align="center">
          <LoadingButton
            size="sm"
            variant="primary"
            loading={saving}
            disabled={draft.value === null || saving}
            onClick={() => void save()}
          >
            Save
          </LoadingButton>
        </Flex>
        {refusal !== null ? (
          <Alert title={`${label} was not saved`} variant="error">
            {refusal}
          </Alert>
        ) : null}
      </Flex>
    </Tile>
  );
}

function problemText(field: FieldToFill): string {
  if (field.problem === 'invalid' && field.value !== null) return `"${field.value}" is not one of its options.`;
  if (field.value !== null && field.value !== '') return `"${field.value}" is not a valid value.`;
  return field.applies === 'only'
    ? `Required at ${field.requiredFrom.label}.`
    : `Required from ${field.requiredFrom.label}.`;
}

function FieldInputControl({
  field,
  label,
  onDraft,
}: {
  field: FieldToFill;
  label: string;
  onDraft: (draft: Draft) => void;
}) {
  const name = `clr-fill-${field.property}`;
  const { input } = field;
  switch (input.kind) {
    case 'picklist':
      return (
        <PicklistControl name={name} label={label} options={input.options} current={field.value} onDraft={onDraft} />
      );
    case 'text':
      return <TextControl name={name} label={label} current={field.value} onDraft={onDraft} />;
    case 'number':
      return <NumberControl name={name} label={label} greaterThan={input.greaterThan} onDraft={onDraft} />;
    case 'date':
      return <DateControl name={name} label={label} current={field.value} onDraft={onDraft} />;
  }
}

type ControlProps = { name: string; label: string; onDraft: (draft: Draft) => void };

function PicklistControl({
  name,
  label,
  options,
  current,
  onDraft,
}: ControlProps & { options: { value: string; label: string }[]; current: string | null }) {
  // A value outside the picklist cannot be shown as selected; the person picks one of the options.
  const [value, setValue] = useState<string | undefined>(
    options.some((o) => o.value === current) ? (current ?? undefined) : undefined,
  );
  return (
    <Select
      name={name}
      label={label}
      placeholder="Choose an option"
      options={options}
      value={value}
      onChange={(picked) => {
        const next = String(picked);
        setValue(next);
        onDraft({ value: next, problem: null });
      }}
    />
  );
}

function TextControl({ name, label, current, onDraft }: ControlProps & { current: string | null }) {
  const [value, setValue] = useState(current ?? '');
  const change = (next: string) => {
    setValue(next);
    const trimmed = next.trim();
    onDraft(trimmed === '' ? EMPTY : { value: trimmed, problem: null });
  };
  return <Input name={name} label={label} value={value} onInput={change} onChange={change} />;
}

function NumberControl({ name, label, greaterThan, onDraft }: ControlProps & { greaterThan: number }) {
  const [problem, setProblem] = useState<string | null>(null);
  const change = (next: number) => {
    const decimal = plainDecimal(next);
    const why =
      decimal === null ? 'Enter a number.' : next > greaterThan ? null : `Must be greater than ${greaterThan}.`;
    setProblem(why);
    onDraft(why === null && decimal !== null ? { value: decimal, problem: null } : { value: null, problem: why });
  };
  return (
    <NumberInput
      name={name}
      label={label}
      onInput={change}
      onChange={change}
      error={problem !== null}
      validationMessage={problem ?? undefined}
    />
  );
}

function DateControl({ name, label, current, onDraft }: ControlProps & { current: string | null }) {
  const [value, setValue] = useState<BaseDate | undefined>(parseIsoDate(current));
  return (
    <DateInput
      name={name}
      label={label}
      format="YYYY-MM-DD"
      value={value}
      onChange={(picked) => {
        // Clearing the input reports no date.
        if (!picked || typeof picked.year !== 'number') {
          setValue(undefined);
          onDraft(EMPTY);
          return;
        }
        const date = { year: picked.year, month: picked.month, date: picked.date };
        setValue(date);
        onDraft({ value: isoDate(date), problem: null });
      }}
    />
  );
}

/** A number as the plain decimal the backend takes ("1250.5", never "1.25e+3"), or null. */
export function plainDecimal(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const text = String(value);
  return /e/i.test(text) ? null : text;
}

/** DateInput's month counts from 0; the backend takes YYYY-MM-DD. */
export function isoDate(date: BaseDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month + 1, 2)}-${pad(date.date, 2)}`;
}

function parseIsoDate(value: string | null): BaseDate | undefined {
  const match = value === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}
