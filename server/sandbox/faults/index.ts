export { createFaults } from './faults.ts';
export type { FaultCounters, FaultKind, FaultRule, Faults, FaultsOptions } from './faults.ts';
export { errorBody, htmlErrorPage, rateLimitBody, HUBSPOT_JSON } from './bodies.ts';
export type { HubSpotErrorBody, RateLimitPolicy } from './bodies.ts';
export { mulberry32 } from './prng.ts';
