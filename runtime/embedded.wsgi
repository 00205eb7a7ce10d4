"""The WSGI script of embedded mode (WSGI_MODE=embedded).

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/embedded.wsgi. docker/apache2.conf loads it
in each of Apache's children as the child starts (WSGIImportScript, so the app is preloaded)
and serves the app through it (WSGIScriptAlias), both in %{GLOBAL}. It loads the project's own
WSGI script, which docker/wsgi-apache.json names ("wsgiScript"), and gives it what daemon mode
gives a daemon process:

- At most WSGI_THREADS requests run the app at once in this process (threads= of
  WSGIDaemonProcess). Apache's many threads per child hold connections and wait here for a slot
  without holding the GIL, so 40 threads do not contend for it. A request that has waited
  WSGI_QUEUE_TIMEOUT seconds for a slot gets a 504, as queue-timeout= gives.
- request-timeout=: when the running requests' ages summed, divided by WSGI_THREADS, reach
  WSGI_REQUEST_TIMEOUT seconds (mod_wsgi's rule for a multithreaded daemon process), the
  threads' stacks go to the error log and this child is killed. Apache starts another; the
  requests this child was serving fail (their connections close), the other children's go on.

A response that is wsgi.file_wrapper gives its slot back at once, so Apache can still send the
file with sendfile (mod_wsgi only does so for the wrapper itself).
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


class Slots:
    """WSGI_THREADS slots to run the app in, and the ages of the requests holding them.

    `threads` is the number of slots; `queue_timeout` and `request_timeout` are seconds;
    `clock` returns seconds (time.monotonic).
    """

    def __init__(self, threads, queue_timeout, request_timeout, clock=time.monotonic):
        self.threads = threads
        self.queue_timeout = queue_timeout
        self.request_timeout = request_timeout
        self._clock = clock
        # One token per slot. SimpleQueue is C code throughout, so taking and giving back a slot
        # costs less than a BoundedSemaphore, whose Python-level Condition runs on every call.
        self._tokens = queue.SimpleQueue()
        for _ in range(threads):
            self._tokens.put(None)
        # thread ident -> when its request got a slot; a dict's item set, pop and copy are
        # each atomic under the GIL, so no lock is taken per request.
        self._started = {}

    def wrap(self, app):
        """`app` behind the slots: the WSGI callable Apache calls."""

        def application(environ, start_response):
            try:
                self._tokens.get(timeout=self.queue_timeout)
            except queue.Empty:
                body = b"Gateway Timeout: no thread came free within WSGI_QUEUE_TIMEOUT\n"
                headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
                start_response(QUEUE_TIMEOUT_STATUS, headers)
                return [body]
            ident = threading.get_ident()
            self._started[ident] = self._clock()
            try:
                result = app(environ, start_response)
            except BaseException:
                self.release(ident)
                raise
            wrapper = environ.get("wsgi.file_wrapper")
            if isinstance(wrapper, type) and isinstance(result, wrapper):
                self.release(ident)
                return result
            return Held(result, self, ident)

        return application

    def release(self, ident):
        """Gives back the slot of thread `ident`'s request."""
        self._started.pop(ident, None)
        self._tokens.put(None)

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


class Held:
    """The app's response; closing it closes the response and gives the slot back (once)."""

    __slots__ = ("_result", "_slots", "_ident")

    def __init__(self, result, slots, ident):
        self._result = result
        self._slots = slots
        self._ident = ident

    def __iter__(self):
        return iter(self._result)

    def close(self):
        result, self._result = self._result, ()
        slots, self._slots = self._slots, None
        try:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        finally:
            if slots is not None:
                slots.release(self._ident)


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
