export {
  createRequestBudget,
  defaultIsExempt,
  defaultIsSearch,
  pathOf,
  HEADER_INTERVAL,
  HEADER_MAX,
  HEADER_REMAINING,
} from './budget.ts';
export type {
  BudgetCounters,
  RequestBudget,
  RequestBudgetOptions,
  RequestBudgetSettings,
  RequestClass,
} from './budget.ts';
export { rateLimitBody, groupNameFor, HUBSPOT_JSON } from './bodies.ts';
export type { RateLimitBody, RateLimitPolicy } from './bodies.ts';
export { RollingWindow } from './rolling-window.ts';
