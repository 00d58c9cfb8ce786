import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateFixture } from '../../../bench/fixture-generator.ts';

/** A generated portal fixture in a temporary file; `remove()` deletes it. */
export async function writeGeneratedFixture(
  contacts: number,
  seed: number,
): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'closed-loop-sync-'));
  const file = path.join(dir, `portal-${contacts}.json`);
  const stream = createWriteStream(file);
  await generateFixture({ contacts, seed }, (chunk) =>
    stream.write(chunk) ? undefined : once(stream, 'drain').then(() => undefined),
  );
  stream.end();
  await once(stream, 'finish');
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
