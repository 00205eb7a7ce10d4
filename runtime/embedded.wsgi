"""The WSGI script of embedded mode (WSGI_MODE=embedded).

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/embedded.wsgi. docker/apache2.conf loads it
in each of Apache's children as the child starts (WSGIImportScript, so the app is preloaded)
and serves the app through it (WSGIScriptAlias), both in %{GLOBAL}. It loads the project's own
WSGI script, which docker/wsgi-apache.json names ("wsgiScript"), and gives it what daemon mode
gives a daemon process:

- The app runs on WSGI_THREADS Python threads of this process's own (threads= of
  WSGIDaemonProcess), never on Apache's: a request is handed to one of them, which calls the app,
  iterates the response and closes it, while Apache's thread waits without the GIL and relays
  the chunks. So whatever an app keeps per thread is bounded as in daemon mode, at WSGI_PROCESSES
  x WSGI_THREADS: Django's persistent database connections (CONN_MAX_AGE), SQLAlchemy's scoped
  sessions, thread-local caches. Run on Apache's 2 x 512 threads, Django opened a PostgreSQL
  connection on each thread a request happened to land on. A request that has waited
  WSGI_QUEUE_TIMEOUT seconds for a thread gets a 504, as queue-timeout= gives.
- request-timeout=: when the running requests' ages summed, divided by WSGI_THREADS, reach
  WSGI_REQUEST_TIMEOUT seconds (mod_wsgi's rule for a multithreaded daemon process), the
  threads' stacks go to the error log and this child is killed. Apache starts another; the
  requests this child was serving fail (their connections close), the other children's go on.

A response that is wsgi.file_wrapper is handed back as it is, and its thread freed at once, so
Apache can still send the file with sendfile (mod_wsgi only does so for the wrapper itself).
"""

import json
import os
import queue
import runpy
import signal
import sys
import threading
import time
import traceback

try:
    import mod_wsgi  # noqa: F401
except ImportError:
    mod_wsgi = None  # not inside Apache (a unit test imports this file)

QUEUE_TIMEOUT_STATUS = "504 Gateway Timeout"


def _log(message):
    print(f"wsgi-apache embedded (pid={os.getpid()}): {message}", file=sys.stderr, flush=True)


# What an app thread hands back to the Apache thread waiting for the request.
_CHUNK = "chunk"  # a piece of the body; value: the bytes
_END = "end"  # the body is complete (the app thread closes the response next)
_RAISED = "raised"  # the app or its iterator raised; value: the exception
_DIRECT = "direct"  # a wsgi.file_wrapper, for Apache to send itself; value: the wrapper
_WHOLE = "whole"  # a body that was a list or tuple, already closed; value: (chunks, what close() raised)
_CLOSED = "closed"  # the response is closed, the thread free again; value: what close() raised, or None

# Iterators over a body already in memory: reading them to the end runs none of the app's code.
_MATERIALIZED = (type(iter([])), type(iter(())))

# What the Apache thread tells the app thread once the response is in mod_wsgi's hands.
_TOOK = "took"  # a second or later chunk was taken: the app thread may read one more
_CLOSE = "close"  # mod_wsgi closed the response before its end


class Slots:
    """WSGI_THREADS threads that run the app, and the ages of the requests they serve.

    `threads` is how many; `queue_timeout` and `request_timeout` are seconds; `clock` returns
    seconds (time.monotonic). The threads start here and live as long as the process.
    """

    def __init__(self, threads, queue_timeout, request_timeout, clock=time.monotonic):
        self.threads = threads
        self.queue_timeout = queue_timeout
        self.request_timeout = request_timeout
        self._clock = clock
        # Requests waiting for a thread, first come first served. SimpleQueue is C code
        # throughout: handing a request over runs no Python-level lock or Condition.
        self._waiting = queue.SimpleQueue()
        # app thread ident -> when its request started; a dict's item set, pop and copy are
        # each atomic under the GIL, so no lock is taken per request.
        self._started = {}
        for number in range(threads):
            threading.Thread(target=self._serve, name=f"wsgi-apache-app-{number}", daemon=True).start()

    def wrap(self, app):
        """`app` on the threads: the WSGI callable Apache calls, on any of its own threads."""

        def application(environ, start_response):
            request = _Request(app, environ, start_response)
            self._waiting.put(request)
            try:
                kind, value = request.replies.get(timeout=self.queue_timeout)
            except queue.Empty:
                if request.claim.acquire(blocking=False):  # no thread took it: it never will
                    body = b"Gateway Timeout: no thread came free within WSGI_QUEUE_TIMEOUT\n"
                    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
                    start_response(QUEUE_TIMEOUT_STATUS, headers)
                    return [body]
                kind, value = request.replies.get()  # a thread took it meanwhile: the app runs
            if kind == _RAISED:
                raise value
            if kind == _DIRECT:
                return value
            if kind == _WHOLE:
                return Whole(*value)
            return Relay(request, kind, value)

        return application

    def _serve(self):
        ident = threading.get_ident()
        while True:
            request = self._waiting.get()
            if not request.claim.acquire(blocking=False):
                continue  # its 504 went out: WSGI_QUEUE_TIMEOUT passed before this thread came free
            self._started[ident] = self._clock()
            try:
                request.run()
            finally:
                self._started.pop(ident, None)

    def overdue(self):
        """The running requests' ages in seconds when mod_wsgi's request-timeout rule says stop, else None."""
        now = self._clock()
        ages = [now - started for started in self._started.copy().values()]
        if ages and sum(ages) / self.threads >= self.request_timeout:
            return ages
        return None

    def watch(self, on_timeout, interval=1.0):
        """Checks overdue() every `interval` seconds in a daemon thread; calls on_timeout(ages) once."""

        def run():
            while True:
                time.sleep(interval)
                ages = self.overdue()
                if ages is not None:
                    on_timeout(ages)
                    return

        thread = threading.Thread(target=run, name="wsgi-apache-request-timeout", daemon=True)
        thread.start()
        return thread


class _Request:
    """One request between the Apache thread that received it and the app thread that runs it."""

    __slots__ = ("app", "environ", "start_response", "claim", "replies", "orders")

    def __init__(self, app, environ, start_response):
        self.app = app
        self.environ = environ
        self.start_response = start_response
        # Taken by the app thread that runs the request, or by the Apache thread that gives up
        # on it after WSGI_QUEUE_TIMEOUT: whichever is first, atomically.
        self.claim = threading.Lock()
        self.replies = queue.SimpleQueue()  # app thread -> Apache thread
        self.orders = queue.SimpleQueue()  # Apache thread -> app thread

    def run(self):
        """On the app thread: calls the app, relays its body, closes it.

        The common response, a body of one chunk, costs one hand-over each way: the first chunk,
        the end and the close follow each other on this thread without waiting. A longer body
        is read at most two chunks ahead of the Apache thread.
        """
        replies = self.replies
        try:
            result = self.app(self.environ, self.start_response)
        except BaseException as error:  # noqa: BLE001 - raised again on the Apache thread
            replies.put((_RAISED, error))
            return
        wrapper = self.environ.get("wsgi.file_wrapper")
        if isinstance(wrapper, type) and isinstance(result, wrapper):
            replies.put((_DIRECT, result))
            return
        try:
            chunks = iter(result)
            if type(chunks) in _MATERIALIZED:
                whole = list(chunks)
            else:
                whole = None
        except BaseException as error:  # noqa: BLE001 - raised again on the Apache thread
            replies.put((_RAISED, error))
            replies.put((_CLOSED, self._close(result)))
            return
        if whole is not None:
            # Django's HttpResponse and most apps' bodies: nothing left to run but close(), so
            # the whole response goes over in one hand-over instead of a chunk at a time.
            replies.put((_WHOLE, (whole, self._close(result))))
            return
        try:
            taken = 0
            while True:
                try:
                    replies.put((_CHUNK, next(chunks)))
                except StopIteration:
                    replies.put((_END, None))
                    break
                taken += 1
                # From the second chunk on, wait until the Apache thread took this one.
                if taken >= 2 and self.orders.get() == _CLOSE:
                    break
        except BaseException as error:  # noqa: BLE001 - raised again on the Apache thread
            replies.put((_RAISED, error))
        finally:
            replies.put((_CLOSED, self._close(result)))

    @staticmethod
    def _close(result):
        """Calls the response's close(), if it has one; what it raised, or None."""
        close = getattr(result, "close", None)
        if close is not None:
            try:
                close()
            except BaseException as error:  # noqa: BLE001 - raised again on the Apache thread
                return error
        return None


class Relay:
    """The response as the Apache thread gives it to mod_wsgi: the app thread's chunks, in order.

    Closing it waits until the app thread closed the app's response (telling it to, when the
    body was not read to its end), and raises what that close() raised.
    """

    __slots__ = ("_request", "_first", "_taken", "_ended", "_closed")

    def __init__(self, request, kind, value):
        self._request = request
        self._first = (kind, value)
        self._taken = 0
        self._ended = False
        self._closed = False

    def __iter__(self):
        return self

    def __next__(self):
        reply, self._first = self._first, None
        if reply is None:
            if self._ended:
                raise StopIteration
            reply = self._request.replies.get()
        kind, value = reply
        if kind == _CHUNK:
            self._taken += 1
            if self._taken >= 2:
                self._request.orders.put(_TOOK)
            return value
        self._ended = True
        if kind == _RAISED:
            raise value
        raise StopIteration

    def close(self):
        if self._closed:
            return
        self._closed = True
        request = self._request
        if not self._ended:
            request.orders.put(_CLOSE)
        while True:
            kind, value = request.replies.get()
            if kind == _CLOSED:
                break
        if value is not None:
            raise value


class Whole:
    """A response whose body the app thread read whole and closed: its chunks, then close()'s error if any."""

    __slots__ = ("_chunks", "_error")

    def __init__(self, chunks, error):
        self._chunks = chunks
        self._error = error

    def __iter__(self):
        return iter(self._chunks)

    def close(self):
        error, self._error = self._error, None
        if error is not None:
            raise error


def end_process(ages):
    """request-timeout: the stacks of this process's threads to the error log, then SIGKILL to itself."""
    running = ", ".join(f"{age:.0f}" for age in sorted(ages))
    timeout = os.environ.get("WSGI_REQUEST_TIMEOUT")
    _log(
        f"request-timeout: {len(ages)} request(s) running for {running} s reached WSGI_REQUEST_TIMEOUT={timeout} s; "
        "stacks follow, then this child is killed (Apache starts another; the requests it was serving are lost)"
    )
    for ident, frame in sys._current_frames().items():
        _log(f"thread {ident}:\n{''.join(traceback.format_stack(frame))}")
    os.kill(os.getpid(), signal.SIGKILL)


def wsgi_script(data_file=None):
    """The project's WSGI script: "wsgiScript" of docker/wsgi-apache.json, beside this file."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(data_file or os.path.join(here, "wsgi-apache.json")) as handle:
        return json.load(handle)["wsgiScript"]


def from_environment(environ=os.environ):
    """The slots as envvars set them (WSGI_THREADS, WSGI_QUEUE_TIMEOUT, WSGI_REQUEST_TIMEOUT)."""
    return Slots(
        int(environ["WSGI_THREADS"]),
        queue_timeout=int(environ["WSGI_QUEUE_TIMEOUT"]),
        request_timeout=int(environ["WSGI_REQUEST_TIMEOUT"]),
    )


if mod_wsgi is not None:
    SLOTS = from_environment()
    application = SLOTS.wrap(runpy.run_path(wsgi_script(), run_name="__wsgi_apache_app__")["application"])
    SLOTS.watch(end_process)
