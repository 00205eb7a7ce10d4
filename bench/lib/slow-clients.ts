// Slow clients (slowloris) and the visitors who arrive while they are connected, for
// bench/slow-clients.ts. 127.0.0.1 only; bounded by the caller's count and duration.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

/** Connections held open by {@link holdSlowClients}. */
export interface SlowClients {
  /** connections the server closed (its read timeout); each was opened again at once */
  dropped: number;
  /** closes every connection and stops opening new ones */
  stop(): void;
}

/**
 * Keeps `count` connections to 127.0.0.1:`port` sending one request's headers a few bytes a
 * second (a header line every `intervalMs`, never the blank line that ends them), as
 * slowloris does. A connection the server closes is opened again, so `count` stay open.
 * @param port the published port
 * @param count connections, at most 2,000 (the bench's bound)
 * @param intervalMs between two header lines of 11 bytes (default 1,000: 11 bytes/s)
 */
export function holdSlowClients(port: number, count: number, intervalMs = 1000): SlowClients {
  if (count > 2000) throw new Error(`holdSlowClients: ${count} connections is past the bench's bound of 2,000`);
  let stopped = false;
  const state: SlowClients = {
    dropped: 0,
    stop() {
      stopped = true;
      for (const socket of sockets) socket.destroy();
    },
  };
  const sockets = new Set<Socket>();
  const open = () => {
    if (stopped) return;
    const socket = connect({ host: '127.0.0.1', port });
    sockets.add(socket);
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      timer = setInterval(() => socket.write('X-Slow: 1\r\n'), intervalMs);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      if (stopped) return;
      state.dropped++;
      setTimeout(open, 10);
    });
  };
  for (let i = 0; i < count; i++) open();
  return state;
}

/** What {@link visit} measured. */
export interface Visits {
  /** every answered request's time from connect to the end of its body, milliseconds */
  latencies: number[];
  /** requests that failed or passed `timeoutMs` */
  failed: number;
}

/**
 * `clients` visitors, each on a new connection per request (as a first visit is, and as
 * keep-alive does not hide), requesting `path` one after another for `seconds`.
 * @param timeoutMs a request counts as failed after this long (default 30,000)
 */
export async function visit(
  port: number,
  path: string,
  clients: number,
  seconds: number,
  timeoutMs = 30_000,
): Promise<Visits> {
  const result: Visits = { latencies: [], failed: 0 };
  const end = Date.now() + seconds * 1000;
  const once = () =>
    new Promise<void>(resolve => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, res => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) result.latencies.push(performance.now() - started);
          else result.failed++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        result.failed++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) await once();
    }),
  );
  return result;
}
