/**
 * runtime/embedded.wsgi outside Apache: WSGI_THREADS slots bound how many requests run the app at
 * once (real threads), a request that waits WSGI_QUEUE_TIMEOUT for one gets a 504, closing the
 * response gives the slot back (also when the app raises), a wsgi.file_wrapper response is
 * returned as it is, and mod_wsgi's request-timeout rule decides when the process is ended.
 * The container tests (test/integration/embedded-mode.test.ts) run it inside Apache.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../generators/lib/package-root.js';
import { runWithModule } from '../helpers/runtime-module.js';

const SCRIPT = join(packageRoot(), 'runtime/embedded.wsgi');

function python(code: string, env: Record<string, string> = {}) {
  const run = runWithModule(SCRIPT, 'embedded', `import threading, time\n${code}`, env);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trim();
}

describe('runtime/embedded.wsgi', () => {
  it('runs at most WSGI_THREADS requests in the app at once; the others wait for a slot, then run', () => {
    const out = python(
      [
        'slots = embedded.from_environment()',
        'running, peak, lock = [0], [0], threading.Lock()',
        'def app(environ, start_response):',
        '    with lock:',
        '        running[0] += 1; peak[0] = max(peak[0], running[0])',
        '    time.sleep(0.05)',
        '    with lock:',
        '        running[0] -= 1',
        '    start_response("200 OK", [])',
        '    return [b"ok"]',
        'served = []',
        'def client():',
        '    response = slots.wrap(app)({}, lambda status, headers: served.append(status))',
        '    body = b"".join(response); response.close()',
        'threads = [threading.Thread(target=client) for _ in range(12)]',
        '[t.start() for t in threads]; [t.join() for t in threads]',
        'print(peak[0], len(served), slots.overdue())',
      ].join('\n'),
      { WSGI_THREADS: '3', WSGI_QUEUE_TIMEOUT: '30', WSGI_REQUEST_TIMEOUT: '60' },
    );
    expect(out).toBe('3 12 None');
  });

  it('a request that waits WSGI_QUEUE_TIMEOUT for a slot gets a 504 without running the app', () => {
    const out = python(
      [
        'slots = embedded.Slots(1, queue_timeout=0.05, request_timeout=60)',
        'app = slots.wrap(lambda environ, start_response: (start_response("200 OK", []), [b"ok"])[1])',
        'held = app({}, lambda *a: None)  # holds the only slot: not closed yet',
        'statuses = []',
        'body = b"".join(app({}, lambda status, headers: statuses.append(status)))',
        'held.close()',
        'again = []',
        'app({}, lambda status, headers: again.append(status)).close()',
        'print(statuses[0], "|", body.decode().strip(), "|", again[0])',
      ].join('\n'),
    );
    expect(out).toBe('504 Gateway Timeout | Gateway Timeout: no thread came free within WSGI_QUEUE_TIMEOUT | 200 OK');
  });

  it("gives the slot back when the app raises, closes the app's response once, and passes wsgi.file_wrapper through", () => {
    const out = python(
      [
        'slots = embedded.Slots(1, queue_timeout=0.05, request_timeout=60)',
        'def boom(environ, start_response):',
        '    raise RuntimeError("boom")',
        'try:',
        '    slots.wrap(boom)({}, None)',
        'except RuntimeError:',
        '    pass',
        'closed = []',
        'class Body(list):',
        '    def close(self): closed.append(1)',
        'app = slots.wrap(lambda environ, start_response: Body([b"a", b"b"]))',
        'response = app({}, None)',
        'print(b"".join(response).decode(), end=" ")',
        'response.close(); response.close()',
        'class FileWrapper:',
        '    pass',
        'wrapped = FileWrapper()',
        'direct = slots.wrap(lambda environ, start_response: wrapped)({"wsgi.file_wrapper": FileWrapper}, None)',
        'after = []',
        'slots.wrap(lambda environ, start_response: [b""])({}, lambda s, h: None)  # the slot is free again',
        'print(len(closed), direct is wrapped, slots.overdue())',
      ].join('\n'),
    );
    expect(out).toBe('ab 1 True None');
  });

  it("request-timeout: mod_wsgi's rule, the running requests' ages summed over WSGI_THREADS; the watch calls its handler once", () => {
    const out = python(
      [
        'now = [100.0]',
        'slots = embedded.Slots(2, queue_timeout=1, request_timeout=10, clock=lambda: now[0])',
        'app = slots.wrap(lambda environ, start_response: [b""])',
        'first = app({}, None)',
        'now[0] += 15',
        'one = slots.overdue()  # 15 / 2 < 10',
        'second = threading.Thread(target=lambda: globals().update(second_response=app({}, None)))',
        'second.start(); second.join()',
        'now[0] += 5',
        'two = sorted(slots.overdue())  # (20 + 5) / 2 >= 10',
        'calls = []',
        'slots.watch(calls.append, interval=0.01).join(timeout=5)',
        'first.close(); second_response.close()',
        'print(one, two, len(calls), slots.overdue())',
      ].join('\n'),
    );
    expect(out).toBe('None [5.0, 20.0] 1 None');
  });

  it('names the WSGI script from docker/wsgi-apache.json beside it', () => {
    const out = python(
      [
        'import tempfile',
        'path = os.path.join(tempfile.mkdtemp(), "wsgi-apache.json")',
        'open(path, "w").write(json.dumps({"wsgiScript": "/app/docker/app.wsgi"}))',
        'print(embedded.wsgi_script(path))',
      ].join('\n'),
    );
    expect(out).toBe('/app/docker/app.wsgi');
  });
});
