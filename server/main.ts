// `npm run server`: the HTTP server (OAuth install, and later webhooks, the card API and the admin page).
import { loadEnv } from './config/env.ts';
import { createAppContext, redirectUriOf } from './context.ts';
import { OAuthStateStore } from './hubspot/oauth-state.ts';
import { createHttpApp } from './http/app.ts';

const env = loadEnv();
const context = createAppContext(env, { name: 'server' });
const app = createHttpApp({
  log: context.log,
  oauth: {
    authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
    clientId: env.HUBSPOT_CLIENT_ID,
    redirectUri: redirectUriOf(env),
    states: new OAuthStateStore(context.redis, env.HUBSPOT_CLIENT_SECRET),
    install: context.install,
  },
});
const server = app.listen(env.PORT, () => context.log.info({ port: env.PORT }, 'server listening'));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    context.log.info({ signal }, 'shutting down');
    server.close(() => void context.close().then(() => process.exit(0)));
  });
}
