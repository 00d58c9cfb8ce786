import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits until `check` returns true, re-checking every `intervalMs`; fails with `what` after `timeoutMs`.
 * For states in Postgres, which has no event to await.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
