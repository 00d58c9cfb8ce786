/**
 * The definitions (policy) model: the schema, version 1, import/export, diff and the small readers
 * the hygiene engine and attribution share. Pure: data in, decisions out.
 */
export * from './attribution.ts';
export * from './channels.ts';
export * from './checklists.ts';
export * from './current-stage.ts';
export * from './default-policy.ts';
export * from './definitions-error.ts';
export * from './describe-change.ts';
export * from './diff.ts';
export * from './duplicates.ts';
export * from './findings.ts';
export * from './join-keys.ts';
export * from './per-pipeline.ts';
export * from './picklists.ts';
export * from './primitives.ts';
export * from './properties.ts';
export * from './required-fields.ts';
export * from './schema.ts';
export * from './serialize.ts';
export * from './slas.ts';
export * from './stage-integrity.ts';
export * from './stage-order.ts';
export * from './stages.ts';
