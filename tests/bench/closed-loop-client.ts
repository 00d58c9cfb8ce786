import { connect, type Socket } from 'node:net';

/**
 * A closed-loop HTTP/1.1 load generator for the benchmarks: `concurrency` keep-alive connections, each
 * sending its next request as soon as the answer to its previous one is in, so exactly that many
 * requests are in flight at all times. Latency counts from the moment a request is written to the
 * last byte of its answer.
 *
 * The generator shares the machine with the server it measures, so it does as little as it can: the
 * requests are whole pre-built byte strings (request line, headers, body), given by `next`, and an
 * answer is read only as far as its status, its Content-Length and the start of its body (`classify`).
 * An answer without a Content-Length, or a connection lost mid-request, counts as failed (the
 * connection is replaced).
 */

export type Outcome = 'ok' | 'refused' | 'failed';

export type ClosedLoopReport = {
  /** Latency (ms) of every measured `ok` answer, by the kind `next` gave its request. */
  latenciesMs: number[][];
  ok: number;
  refused: number;
  failed: number;
  /** The largest measured answer body, in bytes. */
  maxBytes: number;
  /** From the end of the warm-up to the last measured answer. */
  elapsedMs: number;
};

export function runClosedLoop(options: {
  host: string;
  port: number;
  concurrency: number;
  /** Requests sent before this is over are not measured (connections, JIT, caches). */
  warmupMs: number;
  measureMs: number;
  /** How many kinds of request there are (`latenciesMs` has one list each). */
  kinds: number;
  /** The next request to send: its kind (an index below `kinds`) and its bytes. */
  next(): { kind: number; bytes: Buffer };
  /** What an answer is worth, from its status and the first bytes of its body. */
  classify(status: number, bodyStart: Buffer): Outcome;
  /** Called when the warm-up ends and measuring starts (e.g. to read CPU counters). */
  onMeasureStart?(): void;
}): Promise<ClosedLoopReport> {
  const report: ClosedLoopReport = {
    latenciesMs: Array.from({ length: options.kinds }, () => []),
    ok: 0,
    refused: 0,
    failed: 0,
    maxBytes: 0,
    elapsedMs: 0,
  };
  const started = performance.now();
  const measureFrom = started + options.warmupMs;
  const stopAt = measureFrom + options.measureMs;
  const warmup = setTimeout(() => options.onMeasureStart?.(), options.warmupMs);
  let lastAnswerAt = measureFrom;

  return new Promise((resolve) => {
    let open = 0;
    const finished = () => {
      if (--open > 0) return;
      clearTimeout(warmup);
      report.elapsedMs = lastAnswerAt - measureFrom;
      resolve(report);
    };

    const client = () => {
      open++;
      const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
      let buffer: Buffer = Buffer.alloc(0);
      let current: { kind: number; sentAt: number } | undefined;
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        socket.destroy();
        finished();
      };
      // A new connection first, so the count of open ones never drops to 0 in between.
      const replace = () => {
        if (performance.now() < stopAt) client();
        end();
      };
      const send = () => {
        if (performance.now() >= stopAt) return end();
        const request = options.next();
        current = { kind: request.kind, sentAt: performance.now() };
        socket.write(request.bytes);
      };
      const settle = (outcome: Outcome, bytes: number) => {
        const { kind, sentAt } = current!;
        current = undefined;
        if (sentAt < measureFrom) return;
        lastAnswerAt = performance.now();
        report[outcome]++;
        report.maxBytes = Math.max(report.maxBytes, bytes);
        if (outcome === 'ok') report.latenciesMs[kind]!.push(lastAnswerAt - sentAt);
      };
      socket.once('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd === -1 || current === undefined) return;
        const head = buffer.subarray(0, headEnd).toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
        if (!Number.isInteger(status) || length === undefined) {
          settle('failed', 0);
          replace();
          return;
        }
        const bodyEnd = headEnd + 4 + Number(length);
        if (buffer.length < bodyEnd) return;
        settle(options.classify(status, buffer.subarray(headEnd + 4, bodyEnd)), Number(length));
        buffer = buffer.subarray(bodyEnd);
        send();
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        if (done) return;
        if (current !== undefined) settle('failed', 0);
        replace();
      });
    };
    for (let i = 0; i < options.concurrency; i++) client();
  });
}
