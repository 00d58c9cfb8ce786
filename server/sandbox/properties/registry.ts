import type { CrmObjectType } from '../contracts.ts';
import { BUILTIN_GROUPS, builtinProperties, type BuiltinContext } from './builtins.ts';
import type { PropertyDefinition, PropertyGroupDefinition } from './definitions.ts';

/** The property definitions and groups of one object type: HubSpot's built-ins plus the portal's custom ones. */
export class PropertyRegistry {
  readonly type: CrmObjectType;
  private readonly defs = new Map<string, PropertyDefinition>();
  private readonly groups = new Map<string, PropertyGroupDefinition>();

  constructor(type: CrmObjectType, ctx: BuiltinContext) {
    this.type = type;
    for (const def of builtinProperties(type, ctx)) this.defs.set(def.name, def);
    for (const group of BUILTIN_GROUPS[type]) this.groups.set(group.name, group);
  }

  /** Rebuilds HubSpot's built-in definitions whose options follow the owners and pipelines (after they change). */
  refreshBuiltins(ctx: BuiltinContext): void {
    for (const def of builtinProperties(this.type, ctx)) this.defs.set(def.name, def);
  }

  get(name: string): PropertyDefinition | undefined {
    return this.defs.get(name);
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  list(archived = false): PropertyDefinition[] {
    return [...this.defs.values()].filter((d) => d.archived === archived);
  }

  add(def: PropertyDefinition): void {
    this.defs.set(def.name, def);
  }

  custom(): PropertyDefinition[] {
    return [...this.defs.values()].filter((d) => !d.hubspotDefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  group(name: string): PropertyGroupDefinition | undefined {
    return this.groups.get(name);
  }

  listGroups(): PropertyGroupDefinition[] {
    return [...this.groups.values()];
  }

  addGroup(group: PropertyGroupDefinition): void {
    this.groups.set(group.name, group);
  }

  customGroups(): PropertyGroupDefinition[] {
    return [...this.groups.values()].filter((g) => !g.hubspotDefined).sort((a, b) => a.name.localeCompare(b.name));
  }
}
