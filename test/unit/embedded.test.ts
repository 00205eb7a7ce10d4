/**
 * runtime/embedded.wsgi outside Apache: the app runs on WSGI_THREADS threads of its own (real
 * threads), whichever thread calls it, so what it keeps per thread is bounded; a streamed body
 * arrives in order, read at most two chunks ahead, and is closed once on the app's thread, also
 * when the reader stops early or the iterator raises; a request that waits WSGI_QUEUE_TIMEOUT
 * for a thread gets a 504; a wsgi.file_wrapper response is returned as it is; and mod_wsgi's
 * request-timeout rule decides when the process is ended.
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

  it("calls the app, reads its body and closes it on WSGI_THREADS threads of its own, never the callers': per-thread state stays bounded", () => {
    const out = python(
      [
        'slots = embedded.from_environment()',
        'seen, local = set(), threading.local()',
        'connections = [0]',
        'class Body:',
        '    def __init__(self): seen.add(threading.get_ident())',
        '    def __iter__(self):',
        '        seen.add(threading.get_ident()); yield b"a"; seen.add(threading.get_ident()); yield b"b"',
        '    def close(self): seen.add(threading.get_ident())',
        'def app(environ, start_response):',
        '    if not hasattr(local, "connection"):  # as Django opens one persistent connection per thread',
        '        local.connection = True; connections[0] += 1',
        '    time.sleep(0.01)',
        '    start_response("200 OK", [])',
        '    return Body() if environ["stream"] else [b"ab"]',
        'callers, bodies = set(), []',
        'def client(n):',
        '    callers.add(threading.get_ident())',
        '    response = slots.wrap(app)({"stream": n % 2 == 0}, lambda status, headers: None)',
        '    bodies.append(b"".join(response)); response.close()',
        'threads = [threading.Thread(target=client, args=(n,)) for n in range(24)]',
        '[t.start() for t in threads]; [t.join() for t in threads]',
        'print(len(seen), connections[0], len(seen & callers), set(bodies), slots.overdue())',
      ].join('\n'),
      { WSGI_THREADS: '3', WSGI_QUEUE_TIMEOUT: '30', WSGI_REQUEST_TIMEOUT: '60' },
    );
    expect(out).toBe("3 3 0 {b'ab'} None");
  });

  it('streams a body in order, read at most two chunks ahead; a reader that stops early closes it on its thread, which is free again', () => {
    const out = python(
      [
        'slots = embedded.Slots(1, queue_timeout=1, request_timeout=60)',
        'produced, events = [0], []',
        'def app(environ, start_response):',
        '    def body():',
        '        try:',
        '            for n in range(6):',
        '                produced[0] += 1',
        '                yield str(n).encode()',
        '        finally:',
        '            events.append("closed")',
        '    return body()',
        'wrapped = slots.wrap(app)',
        'response = wrapped({}, None)',
        'first = next(iter(response)); time.sleep(0.1)',
        'ahead = produced[0]',
        'rest = b"".join(response); response.close()',
        'early = wrapped({}, None)',
        'next(iter(early)); early.close()',
        'again = wrapped({}, None); b"".join(again); again.close()  # the only thread is free',
        'print(first + rest, ahead, events)',
      ].join('\n'),
    );
    expect(out).toBe("b'012345' 2 ['closed', 'closed', 'closed']");
  });

  it("raises on the caller what the app's iterator or its close() raised, after closing the body once", () => {
    const out = python(
      [
        'slots = embedded.Slots(1, queue_timeout=1, request_timeout=60)',
        'closes = []',
        'class Broken:',
        '    def __iter__(self):',
        '        yield b"a"; raise ValueError("mid-body")',
        '    def close(self): closes.append("iterator")',
        'class BadClose(list):',
        '    def close(self): closes.append("close"); raise OSError("in close")',
        'outcomes = []',
        'for body in (Broken(), BadClose([b"x"])):',
        '    response = slots.wrap(lambda environ, start_response: body)({}, None)',
        '    try:',
        '        b"".join(response)',
        '    except ValueError as error:',
        '        outcomes.append(str(error))',
        '    try:',
        '        response.close(); response.close()',
        '    except OSError as error:',
        '        outcomes.append(str(error))',
        'print(outcomes, closes)',
      ].join('\n'),
    );
    expect(out).toBe("['mid-body', 'in close'] ['iterator', 'close']");
  });

  it('a request that waits WSGI_QUEUE_TIMEOUT for a slot gets a 504 without running the app', () => {
    const out = python(
      [
        'slots = embedded.Slots(1, queue_timeout=0.05, request_timeout=60)',
        '# A streamed body holds its thread until it is read or closed; a list is read whole at once.',
        'app = slots.wrap(lambda environ, start_response: (start_response("200 OK", []), (chunk for chunk in [b"o", b"k", b""]))[1])',
        'held = app({}, lambda *a: None)  # holds the only thread: not closed yet',
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
        'app = slots.wrap(lambda environ, start_response: (chunk for chunk in [b"a", b"b", b"c"]))  # streamed: held until closed',
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
