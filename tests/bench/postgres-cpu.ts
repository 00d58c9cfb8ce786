import { readFile } from 'node:fs/promises';
import type pg from 'pg';

/**
 * CPU time (user + system, ms) the Postgres backends connected to `db`'s database have used so far,
 * from /proc: only where Postgres runs on this Linux machine, undefined elsewhere. Benchmarks read it
 * before and after a case to say how much Postgres work a request costs, a figure that moves less with
 * other load on a shared machine than latency or throughput do. Background processes (WAL writer,
 * checkpointer) are not counted; clock ticks are 10 ms.
 */
export async function postgresBackendCpuMs(db: pg.Pool): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields after the command name: state is the 1st, utime the 12th, stime the 13th.
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }
  return ticks * 10;
}
