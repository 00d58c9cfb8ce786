// `npm run server`: the HTTP server (OAuth install, and later webhooks, the card API and the admin page).
import { startServer } from './http/start-server.ts';

const server = await startServer({ env: process.env, host: '0.0.0.0', context: { name: 'server' } });
server.context.log.info({ url: server.env.PUBLIC_BASE_URL, port: server.env.PORT }, 'server listening');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.context.log.info({ signal }, 'shutting down');
    void server.close().then(() => process.exit(0));
  });
}
