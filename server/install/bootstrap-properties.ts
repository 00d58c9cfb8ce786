import {
  PropertyCreateFieldTypeEnum as SdkFieldType,
  PropertyCreateTypeEnum as SdkType,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { FieldType, PropertyType } from '../domain/policy/properties.ts';
import type { PortalHubSpotClient } from '../hubspot/portal-client.ts';
import type { ApiObjectType, PropertySpec } from './property-specs.ts';

// The SDK types these as TypeScript enums; the policy's string unions map onto them one to one.
const SDK_TYPE: Record<PropertyType, SdkType> = {
  string: SdkType.String,
  number: SdkType.Number,
  bool: SdkType.Bool,
  enumeration: SdkType.Enumeration,
  date: SdkType.Date,
  datetime: SdkType.Datetime,
};
const SDK_FIELD_TYPE: Record<FieldType, SdkFieldType> = {
  text: SdkFieldType.Text,
  textarea: SdkFieldType.Textarea,
  number: SdkFieldType.Number,
  booleancheckbox: SdkFieldType.Booleancheckbox,
  select: SdkFieldType.Select,
  radio: SdkFieldType.Radio,
  checkbox: SdkFieldType.Checkbox,
  date: SdkFieldType.Date,
};

export type IncompatibleProperty = {
  objectType: ApiObjectType;
  name: string;
  expected: { type: string; fieldType: string };
  found: { type: string; fieldType: string };
};

export type BootstrapReport = {
  createdGroups: ApiObjectType[];
  createdProperties: { objectType: ApiObjectType; name: string }[];
  alreadyPresent: number;
  /** Properties with our name but another type: left alone, reported to the admin. */
  incompatible: IncompatibleProperty[];
};

/**
 * Creates the property group and every property the definitions need on each object type, where it
 * is missing. Existing properties are never changed (an admin may have adjusted labels or options, and
 * HubSpot refuses most type changes anyway); one that exists with another type is reported. Reads
 * first, so a second run makes no write call.
 */
export async function bootstrapProperties(
  client: PortalHubSpotClient,
  specs: PropertySpec[],
  group: { name: string; label: string },
): Promise<BootstrapReport> {
  const report: BootstrapReport = { createdGroups: [], createdProperties: [], alreadyPresent: 0, incompatible: [] };
  const objectTypes = [...new Set(specs.map((s) => s.objectType))];
  for (const objectType of objectTypes) {
    const groups = await client.call((sdk) => sdk.crm.properties.groupsApi.getAll(objectType), { idempotent: true });
    if (!groups.results.some((g) => g.name === group.name)) {
      await client.call(
        (sdk) => sdk.crm.properties.groupsApi.create(objectType, { name: group.name, label: group.label }),
        { idempotent: false },
      );
      report.createdGroups.push(objectType);
    }
    const existing = await client.call((sdk) => sdk.crm.properties.coreApi.getAll(objectType), { idempotent: true });
    const byName = new Map(existing.results.map((p) => [p.name, p]));
    for (const spec of specs.filter((s) => s.objectType === objectType)) {
      const found = byName.get(spec.name);
      if (found) {
        if (found.type !== spec.type || found.fieldType !== spec.fieldType) {
          report.incompatible.push({
            objectType,
            name: spec.name,
            expected: { type: spec.type, fieldType: spec.fieldType },
            found: { type: found.type, fieldType: found.fieldType },
          });
        } else {
          report.alreadyPresent++;
        }
        continue;
      }
      await client.call(
        (sdk) =>
          sdk.crm.properties.coreApi.create(objectType, {
            name: spec.name,
            label: spec.label,
            description: spec.description,
            groupName: spec.groupName,
            type: SDK_TYPE[spec.type],
            fieldType: SDK_FIELD_TYPE[spec.fieldType],
            options: spec.options,
          }),
        { idempotent: false },
      );
      report.createdProperties.push({ objectType, name: spec.name });
    }
  }
  return report;
}
