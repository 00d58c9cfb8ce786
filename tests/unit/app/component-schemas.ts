/**
 * JSON schemas (draft 2020-12) for the four component types the project uses, keyed by the internal
 * type names HubSpot's parsing library validates against. HubSpot serves the real schemas per
 * platform version from its API (`project-components-external/project-schemas/v3/<version>`) and
 * ships them in no package, so these are transcribed from the 2026.03 templates and the developer
 * docs (see shared/notes/hubspot-app-platform.md §1 and §3): the fields the app uses, their types and
 * the values HubSpot documents for them. The test serves them to the library in place of HubSpot's
 * API, so everything else — files, directories, uids, the one-app rule, Ajv — is the library's own.
 */

const url = { type: 'string', pattern: '^https://[^\\s/$.?#][^\\s]*$' };
const nonEmpty = { type: 'string', minLength: 1 };
const scopeList = { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_.-]*$' }, uniqueItems: true };

const APPLICATION = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'distribution', 'auth', 'permittedUrls', 'support'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    description: { type: 'string', maxLength: 1000 },
    logo: nonEmpty,
    distribution: { enum: ['marketplace', 'private'] },
    auth: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'redirectUrls', 'requiredScopes'],
      properties: {
        type: { enum: ['oauth', 'static'] },
        redirectUrls: { type: 'array', items: url, minItems: 1 },
        requiredScopes: { ...scopeList, minItems: 1 },
        optionalScopes: scopeList,
        conditionallyRequiredScopes: scopeList,
      },
    },
    permittedUrls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fetch: { type: 'array', items: url },
        iframe: { type: 'array', items: url },
        img: { type: 'array', items: url },
      },
    },
    support: {
      type: 'object',
      additionalProperties: false,
      required: ['supportEmail'],
      properties: {
        supportEmail: { type: 'string', format: 'email' },
        documentationUrl: url,
        supportUrl: url,
        supportPhone: nonEmpty,
      },
    },
  },
  // A marketplace app authenticates with OAuth (HubSpot's AGENTS.md for 2026.03).
  if: { properties: { distribution: { const: 'marketplace' } } },
  then: { properties: { auth: { properties: { type: { const: 'oauth' } } } } },
};

const CARD = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'location', 'entrypoint', 'objectTypes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    description: { type: 'string' },
    location: { enum: ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] },
    entrypoint: { type: 'string', pattern: '^/app/cards/[^/]+\\.(tsx|jsx|ts|js)$' },
    objectTypes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['contacts', 'companies', 'deals', 'tickets'] },
    },
  },
};

const SETTINGS = {
  type: 'object',
  additionalProperties: false,
  required: ['entrypoint'],
  properties: { entrypoint: { type: 'string', pattern: '^/app/settings/[^/]+\\.(tsx|jsx|ts|js)$' } },
};

const OBJECTS = '(contact|company|deal|ticket|product|line_item)';
const WEBHOOKS = {
  type: 'object',
  additionalProperties: false,
  required: ['settings', 'subscriptions'],
  properties: {
    settings: {
      type: 'object',
      additionalProperties: false,
      required: ['targetUrl', 'maxConcurrentRequests'],
      properties: { targetUrl: url, maxConcurrentRequests: { type: 'integer', minimum: 5, maximum: 20 } },
    },
    subscriptions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        crmObjects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['subscriptionType', 'objectType', 'active'],
            properties: {
              subscriptionType: {
                pattern: '^object\\.(creation|deletion|merge|restore|propertyChange|associationChange)$',
              },
              objectType: nonEmpty,
              propertyName: nonEmpty,
              active: { type: 'boolean' },
            },
          },
        },
        legacyCrmObjects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['subscriptionType', 'active'],
            properties: {
              subscriptionType: {
                type: 'string',
                pattern: `^${OBJECTS}\\.(creation|deletion|merge|restore|propertyChange|associationChange)$`,
              },
              propertyName: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
              active: { type: 'boolean' },
            },
            // A property change names its property; no other event does.
            if: { properties: { subscriptionType: { pattern: '\\.propertyChange$' } } },
            then: { required: ['propertyName'] },
            else: { not: { required: ['propertyName'] } },
          },
        },
        hubEvents: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['subscriptionType', 'active'],
            properties: {
              subscriptionType: { enum: ['contact.privacyDeletion', 'conversation.privacyDeletion'] },
              active: { type: 'boolean' },
            },
          },
        },
      },
    },
  },
};

export const COMPONENT_SCHEMAS = { APPLICATION, CARD, SETTINGS, WEBHOOKS };
