// `npm run sandbox -- --fixture FILE --port N`: one sandbox HubSpot portal on a local port, until Ctrl-C.
import { parseArgs } from 'node:util';
import { FixtureError } from '../sandbox/fixture.ts';
import { DEFAULT_APP, startSandbox } from '../sandbox/server.ts';

const { values } = parseArgs({
  options: {
    fixture: { type: 'string', default: 'tests/fixtures/demo-portal.json' },
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string', default: DEFAULT_APP.clientId },
    'client-secret': { type: 'string', default: DEFAULT_APP.clientSecret },
    'app-id': { type: 'string', default: String(DEFAULT_APP.appId) },
    'redirect-uri': { type: 'string', multiple: true },
    budget: { type: 'string', default: 'generous' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(`Usage: npm run sandbox -- [--fixture FILE] [--port N] [--host H]
       [--client-id ID] [--client-secret S] [--app-id N] [--redirect-uri URI ...]
       [--budget generous|hubspot]
Serves the fixture as a HubSpot portal (OAuth, CRM v3/v4, pipelines, properties, owners, events)
and its control API under /__sandbox/. Redirect URIs may use * (default: http://localhost:* and
http://127.0.0.1:*).`);
  process.exit(0);
}

const port = Number(values.port);
const appId = Number(values['app-id']);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}
if (values.budget !== 'generous' && values.budget !== 'hubspot') {
  console.error(`--budget must be generous or hubspot, got ${values.budget}`);
  process.exit(2);
}
if (!Number.isInteger(appId) || appId <= 0) {
  console.error(`--app-id must be a positive integer (HubSpot app ids are numbers), got ${values['app-id']}`);
  process.exit(2);
}

try {
  const sandbox = await startSandbox({
    fixture: values.fixture,
    port,
    host: values.host,
    ...(values.budget === 'hubspot' ? { budget: 'hubspot' as const } : {}),
    apps: [
      {
        clientId: values['client-id'],
        clientSecret: values['client-secret'],
        appId,
        redirectUris: values['redirect-uri'] ?? DEFAULT_APP.redirectUris,
        ...(DEFAULT_APP.name === undefined ? {} : { name: DEFAULT_APP.name }),
      },
    ],
  });
  console.log(`sandbox portal ${sandbox.portalId} from ${values.fixture}`);
  console.log(sandbox.url);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof FixtureError ? error.message : error);
  process.exit(1);
}
