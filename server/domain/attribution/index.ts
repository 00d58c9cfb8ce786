/**
 * The attribution engine (default policy, sections 3 and 7, and the channel properties of section 8):
 * touches, deal touches, key touches and credit rows per model, to the cent. Pure: data in, decisions out.
 */
export * from './amount.ts';
export * from './channel-properties.ts';
export * from './contact-touches.ts';
export * from './coverage.ts';
export * from './credits.ts';
export * from './deal-touches.ts';
export * from './decimal.ts';
export * from './ingest-matching.ts';
export * from './key-touches.ts';
export * from './models/compiled-model.ts';
export * from './models/linear.ts';
export * from './models/model-weights.ts';
export * from './models/positional.ts';
export * from './models/time-decay.ts';
export * from './numeric-ids.ts';
export * from './split-cents.ts';
export * from './time.ts';
export * from './touch-channel.ts';
export * from './touches.ts';
