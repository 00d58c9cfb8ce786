/**
 * The Closed Loop backend every card and the settings page call through `hubspot.fetch`: the origin the
 * server answers on (its `PUBLIC_BASE_URL`). HubSpot refuses a fetch to any origin not listed in the
 * app's `permittedUrls.fetch`, which is `${PUBLIC_BASE_URL}` of `app/src/hsprofile.production.json`, so
 * this must be the same value; `tests/base-url.test.ts` fails when the two differ. It is the only place
 * in the extension code that names the backend; set it before `hs project upload` (extensions/README.md).
 */
export const CLOSED_LOOP_BASE_URL = 'https://closed-loop.example.com';
