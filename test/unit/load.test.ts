/**
 * runLoad's accounting against a real HTTP server on 127.0.0.1: a server that closes a
 * keep-alive connection makes autocannon reissue one request, which must not read as a lost one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../generators/lib/stack-checks.js';
import { assertCleanLoad } from '../helpers/load-checks.js';

let server: Server | undefined;

afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())));

/** Serves "ok"; every `closeEvery`-th response on a connection carries `Connection: close` (0: never). */
async function serve(closeEvery: number, status = 200): Promise<string> {
  server = createServer((request, response) => {
    const socket = request.socket as typeof request.socket & { served?: number };
    socket.served = (socket.served ?? 0) + 1;
    if (closeEvery > 0 && socket.served % closeEvery === 0) response.setHeader('Connection', 'close');
    response.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok');
  });
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('runLoad', () => {
  it('answers every request on connections the server keeps open', async () => {
    const report = await runLoad({ baseUrl: await serve(0), path: '/', connections: 4, amount: 200 });
    expect(report.requests).toBe(200);
    expect(report.serverClosed).toBe(0);
    expect(() => assertCleanLoad(report, 200)).not.toThrow();
  });

  it('counts connections the server closes, so their reissued requests are not read as lost', async () => {
    const report = await runLoad({
      baseUrl: await serve(7),
      path: '/',
      connections: 4,
      amount: 200,
      verifyBody: body => body === 'ok',
    });
    expect(report.serverClosed).toBeGreaterThan(0);
    expect(report.requests + report.serverClosed).toBe(200);
    expect(report.mismatches).toBe(0);
    expect(() => assertCleanLoad(report, 200)).not.toThrow();
  });

  it('still fails a run whose responses are errors', async () => {
    const report = await runLoad({ baseUrl: await serve(0, 503), path: '/', connections: 2, amount: 20 });
    expect(() => assertCleanLoad(report, 20)).toThrow(/20 responses with a 5xx status/);
  });
});
