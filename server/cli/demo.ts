// `npm run demo [-- --fixture FILE --out DIR]`: runs the main job once against the sandbox portal.
// Exit code 0 when every stage finished; 1 when one failed (it is named, with the reason).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from '../demo/run-demo.ts';

const { values } = parseArgs({
  options: {
    fixture: { type: 'string', default: 'tests/fixtures/demo-portal.json' },
    out: { type: 'string', default: '.demo-out' },
  },
});

const outcome = await runDemo({
  fixturePath: path.resolve(values.fixture),
  outDir: path.resolve(values.out),
  env: process.env,
  print: (line) => console.log(line),
});

if (outcome.ok) {
  console.log('\nDemo finished: every stage ran.');
  process.exit(0);
}
const done = outcome.results.map((r) => r.name).join(', ');
console.log(
  `\nDemo failed at "${outcome.failedStage}": ${outcome.reason}.` + (done ? `\nFinished before it: ${done}.` : ''),
);
process.exit(1);
