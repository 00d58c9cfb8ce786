import { connect } from 'node:net';

/**
 * An open-loop HTTP/1.1 load generator for the benchmarks: each request leaves at its scheduled time
 * whatever is still in flight (on a new keep-alive connection when every open one is busy), and its
 * latency counts from that scheduled time, so a slow answer can't hide by delaying the next request.
 *
 * Requests are whole pre-built byte strings (request line, headers, body), so sending one costs a
 * socket write and the generator takes as little CPU as it can from the server it measures on the
 * same machine. Answers are read only as far as the status and Content-Length (the app always sends
 * one); an answer without them counts as an error.
 */

export type OpenLoopReport = {
  /** Latency (ms from the scheduled send to the end of the answer) of every 2xx answer. */
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** Requests that got no HTTP answer (connection error, unreadable answer). */
  errors: number;
  /** From the first scheduled send to the last answer. */
  elapsedMs: number;
  /** Connections opened: at most this many requests were in flight at once. */
  connections: number;
};

type Due = { index: number; scheduledAt: number };
type Connection = { send(due: Due): void };

export function runOpenLoop(options: {
  host: string;
  port: number;
  /** One pre-built request each, sent in order. */
  requests: readonly Buffer[];
  ratePerSecond: number;
  maxConnections?: number;
}): Promise<OpenLoopReport> {
  const { requests } = options;
  const total = requests.length;
  const intervalMs = 1000 / options.ratePerSecond;
  const maxConnections = options.maxConnections ?? 512;
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let finished = 0;
  let connections = 0;
  let open = 0;
  const idle: Connection[] = [];
  const waiting: Due[] = [];
  const sockets = new Set<ReturnType<typeof connect>>();
  const started = performance.now();

  return new Promise((resolve) => {
    const settle = () => {
      if (++finished < total) return;
      for (const socket of sockets) socket.destroy();
      resolve({ latenciesMs, statuses, errors, elapsedMs: performance.now() - started, connections });
    };

    const openConnection = (first: Due) => {
      connections++;
      open++;
      const socket = connect({ host: options.host, port: options.port, noDelay: true });
      sockets.add(socket);
      let current: Due | undefined = first;
      let buffer: Buffer = Buffer.alloc(0);
      const connection: Connection = {
        send(due) {
          current = due;
          socket.write(requests[due.index]!);
        },
      };
      const free = () => {
        const due = waiting.shift();
        if (due) connection.send(due);
        else idle.push(connection);
      };
      socket.once('connect', () => socket.write(requests[first.index]!));
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd === -1 || !current) return;
        const head = buffer.subarray(0, headEnd).toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
        if (status === undefined || length === undefined) {
          socket.destroy();
          return;
        }
        const end = headEnd + 4 + Number(length);
        if (buffer.length < end) return;
        buffer = buffer.subarray(end);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status.startsWith('2')) latenciesMs.push(performance.now() - current.scheduledAt);
        current = undefined;
        settle();
        free();
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        open--;
        sockets.delete(socket);
        const at = idle.indexOf(connection);
        if (at !== -1) idle.splice(at, 1);
        if (current) {
          errors++;
          current = undefined;
          settle();
        }
      });
    };

    let sent = 0;
    // Every tick sends whatever is due by now, stamped with the time it was due.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * intervalMs <= now) {
        const due = { index: sent, scheduledAt: started + sent * intervalMs };
        sent++;
        const connection = idle.pop();
        if (connection) connection.send(due);
        else if (open < maxConnections) openConnection(due);
        else waiting.push(due);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}
