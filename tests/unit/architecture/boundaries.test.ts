import { describe, expect, it } from 'vitest';
import { findViolations } from '../../architecture/boundaries.ts';

const check = (path: string, source: string) => findViolations([{ path, source }]);

describe('architecture boundaries', () => {
  it('lets domain code use zod and its own modules', () => {
    expect(
      check('server/domain/policy/schema.ts', `import { z } from 'zod';\nimport { x } from './stages.ts';`),
    ).toEqual([]);
  });

  it.each([
    ['pg', `import pg from 'pg';`],
    ['a Node built-in', `import { readFile } from 'node:fs/promises';`],
    ['the database layer', `import { createPool } from '../../db/pool.ts';`],
    ['a dynamic import of ioredis', `const r = await import('ioredis');`],
  ])('refuses domain code that imports %s', (_what, source) => {
    expect(check('server/domain/hygiene/engine.ts', source)).toHaveLength(1);
  });

  it('keeps workers away from the HTTP layer and production away from the sandbox', () => {
    expect(check('workers/processors/sync.ts', `import { app } from '../../server/http/app.ts';`)).toHaveLength(1);
    expect(check('server/hubspot/client.ts', `import { startSandbox } from '../sandbox/server.ts';`)).toHaveLength(1);
    expect(check('server/cli/demo.ts', `import { startSandbox } from '../sandbox/server.ts';`)).toEqual([]);
  });

  it('lets only the demo start workers from server/', () => {
    expect(
      check('server/install/complete-install.ts', `import { startWorkers } from '../../workers/start-workers.ts';`),
    ).toHaveLength(1);
    expect(check('server/demo/run-demo.ts', `import { startWorkers } from '../../workers/start-workers.ts';`)).toEqual(
      [],
    );
  });

  it('keeps the sandbox independent of the app it imitates HubSpot for', () => {
    expect(check('server/sandbox/objects.ts', `import { Env } from '../config/env.ts';`)).toHaveLength(1);
  });

  it('keeps card code inside extensions/', () => {
    expect(check('extensions/cards/DealCard.tsx', `import { rules } from '../../server/domain/x.ts';`)).toHaveLength(1);
  });
});
