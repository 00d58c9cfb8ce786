// `npm run test:boundaries`: fails when an import crosses a boundary of the architecture.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findViolations } from './boundaries.ts';

const tracked = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'server', 'workers', 'extensions'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((file) => /\.(ts|tsx)$/.test(file) && !file.includes('node_modules/'));

const violations = findViolations(tracked.map((path) => ({ path, source: readFileSync(path, 'utf8') })));
if (violations.length > 0) {
  console.error(`Architecture boundaries crossed:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
  process.exit(1);
}
console.log(`boundaries: ${tracked.length} files checked, no violation`);
