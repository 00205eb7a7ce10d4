"""The development tools around each request.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/devtools.wsgi; what varies per project
(each process group's WSGI script, the output folder, where coverage.py is) comes from
docker/wsgi-apache.json beside it ("devTools").

docker/apache2.conf points every WSGIScriptAlias here instead of at the app's own script when
WSGI_PROFILER, WSGI_RECORDER or WSGI_COVERAGE is 1, which envvars only allows in the
development shape. This script loads the app of its process group (in debug mode, of its
application group) from that app's own script, and wraps it:

- WSGI_COVERAGE=1 (mod_wsgi-express --enable-coverage): coverage.py measures the app's
  directory in every daemon process from before the app is imported; each process saves its
  data when it exits, and start-apache combines them into HTML when the container stops.
- WSGI_PROFILER=1 (--enable-profiler): each request runs under cProfile, one request at a
  time per process (since Python 3.12 cProfile sees every thread of the process), and its
  profile is written as <time>-<pid>-<n>-<METHOD>-<path>.prof, readable with
  `python -m pstats FILE`, snakeviz or gprof2dot. One summary line per request goes to the
  error log. The oldest profiles go once the directory passes WSGI_PROFILER_MAX_BYTES.
- WSGI_RECORDER=1 (--enable-recorder): each request and its response (environ, body, status,
  headers, body) as one JSON file; Authorization, Proxy-Authorization, Cookie and Set-Cookie
  values are masked ("****"), as are the headers WSGI_RECORDER_MASK names. Bodies are cut at
  WSGI_RECORDER_BODY_LIMIT bytes; the oldest recordings go once the directory passes
  WSGI_RECORDER_MAX_BYTES.

The image's HEALTHCHECK requests (its User-Agent) are left out of profiles and recordings.
Everything is written under the output folder (.wsgi/) of the app directory: in the
development shape that is your project, and the processes run as you, so the files are yours.
"""

import atexit
import base64
import contextlib
import cProfile
import datetime
import itertools
import json
import os
import pstats
import re
import runpy
import sys
import tempfile
import threading
import time
import traceback

try:
    import mod_wsgi
except ImportError:
    mod_wsgi = None  # not inside Apache (a unit test imports this file)

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.dirname(HERE)
with open(os.path.join(HERE, "wsgi-apache.json")) as _data:
    DATA = json.load(_data)["devTools"]
OUTPUT_DIR = os.path.join(APP_DIR, DATA["outputDir"])
# Process group (daemon mode) or application group (debug mode; "" is %{GLOBAL}): the app's
# own WSGI script and the directory coverage measures.
APPS = {group: tuple(app) for group, app in DATA["apps"].items()}
# Where the image keeps coverage.py outside the app's virtualenv ('' when it is Debian's python3-coverage).
COVERAGE_PATH = DATA["coveragePath"]
HEALTHCHECK_USER_AGENT = DATA["healthcheckUserAgent"]
MASK = "****"
MASKED_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"} | {
    name.strip().lower() for name in re.split(r"[\s,]+", os.environ.get("WSGI_RECORDER_MASK", "")) if name.strip()
}


def _on(name):
    return os.environ.get(name, "0") == "1"


def _log(message):
    print(f"devtools (pid={os.getpid()}): {message}", file=sys.stderr, flush=True)


_sequence = itertools.count(1)


def _file_name(environ, suffix):
    """<time>-<pid>-<n>-<METHOD>-<path>: sorts by time, unique per process, says which request."""
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S.%f")
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", path).strip("_")[:80] or "root"
    method = re.sub(r"[^A-Za-z]", "", environ.get("REQUEST_METHOD", "GET"))[:10]
    return f"{stamp}-{os.getpid()}-{next(_sequence)}-{method}-{slug}{suffix}"


def _request_path(environ):
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return f"{path or '/'}{'?' + query if query else ''}"


class _Budget:
    """Removes the oldest files of a directory once it holds more than `max_bytes`.

    The directory is summed after every max_bytes/16 written by this process (and at its first
    write, so a restarted process starts from the directory as it is), and pruned to
    max_bytes - max_bytes/16: with N processes it stays within max_bytes + (N - 1) x
    max_bytes/16, plus one file each."""

    def __init__(self, directory, max_bytes):
        self.directory = directory
        self.max_bytes = max_bytes
        self.step = max(1, max_bytes // 16)
        self.written = self.step
        self.lock = threading.Lock()

    def spent(self, size):
        with self.lock:
            self.written += size
            if self.written < self.step:
                return
            self.written = 0
        try:
            files = sorted((e for e in os.scandir(self.directory) if e.is_file()), key=lambda e: e.name)
            sizes = {e.path: e.stat().st_size for e in files}
        except OSError:
            return
        total = sum(sizes.values())
        for entry in files:
            if total <= self.max_bytes - self.step:
                break
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
            total -= sizes[entry.path]


class _Body:
    """The app's response iterable, passed on chunk by chunk with `around` around each step of
    the app's code, `seen` told of each chunk and `done` called once, after the app's close()."""

    def __init__(self, result, around, seen, done):
        self._result = result
        self._iterator = None
        self._around = around
        self._seen = seen
        self._done = done

    def __iter__(self):
        return self

    def __next__(self):
        with self._around():
            if self._iterator is None:
                self._iterator = iter(self._result)
            chunk = next(self._iterator)
        self._seen(chunk)
        return chunk

    def close(self):
        error = None
        try:
            with self._around():
                if hasattr(self._result, "close"):
                    self._result.close()
        except BaseException:
            error = traceback.format_exc()
            raise
        finally:
            done, self._done = self._done, None
            if done is not None:
                done(error)


def _ignore(*_args):
    pass


# ---- coverage ------------------------------------------------------------------------------


def _start_coverage(source):
    """coverage.py for this process, from before the app is imported; data saved at exit."""
    if COVERAGE_PATH and COVERAGE_PATH not in sys.path:
        sys.path.append(COVERAGE_PATH)
    try:
        import coverage
    except ImportError as error:
        _log(f"WSGI_COVERAGE=1 but coverage.py is not importable ({error}); coverage is off")
        return
    directory = os.path.join(OUTPUT_DIR, "coverage")
    os.makedirs(directory, exist_ok=True)
    measured = coverage.Coverage(
        data_file=os.path.join(directory, ".coverage"),
        data_suffix=True,
        source=[source],
        omit=[f"{APP_DIR}/docker/*", f"{OUTPUT_DIR}/*", "*/site-packages/*"],
    )
    measured.start()

    def save():
        with contextlib.suppress(Exception):
            measured.stop()
        measured.save()

    atexit.register(save)


def _trace_this_thread():
    """Starts coverage's tracer in a request thread. mod_wsgi's threads are Apache's, not
    threading's, so coverage's threading.settrace() hook never reaches them: install it the way
    threading.Thread does for its own threads. (With the sys.monitoring core there is no hook.)"""
    hook = threading.gettrace()
    if hook is not None and sys.gettrace() is None:
        sys.settrace(hook)


# ---- profiler ------------------------------------------------------------------------------

_profiling = threading.Lock()


def _top_function(stats):
    """The function that spent the most time in itself, as file:line(name) and milliseconds."""
    best = None
    for (filename, line, name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        if "_lsprof" in name or filename.endswith("devtools.wsgi"):
            continue
        if best is None or own > best[1]:
            inside = filename.startswith(APP_DIR + "/")
            where = os.path.relpath(filename, APP_DIR) if inside else os.path.basename(filename)
            best = (f"{where}:{line}({name})" if filename != "~" else name, own)
    return best or ("-", 0.0)


class Profiler:
    def __init__(self, application):
        self.application = application
        self.directory = os.path.join(OUTPUT_DIR, "profiles")
        os.makedirs(self.directory, exist_ok=True)
        self.budget = _Budget(self.directory, int(os.environ["WSGI_PROFILER_MAX_BYTES"]))

    def __call__(self, environ, start_response):
        _profiling.acquire()
        profile = cProfile.Profile()
        started = time.perf_counter()

        @contextlib.contextmanager
        def profiled():
            profile.enable()
            try:
                yield
            finally:
                profile.disable()

        def done(_error):
            try:
                self.write(environ, profile, time.perf_counter() - started)
            finally:
                _profiling.release()

        try:
            with profiled():
                result = self.application(environ, start_response)
        except BaseException:
            done(None)
            raise
        return _Body(result, profiled, _ignore, done)

    def write(self, environ, profile, seconds):
        try:
            path = os.path.join(self.directory, _file_name(environ, ".prof"))
            profile.dump_stats(path)
            where, own = _top_function(pstats.Stats(profile))
            _log(
                f"profile {environ.get('REQUEST_METHOD', 'GET')} {_request_path(environ)} {seconds * 1000:.1f} ms, "
                f"top {where} {own * 1000:.1f} ms -> {os.path.relpath(path, APP_DIR)}"
            )
            self.budget.spent(os.path.getsize(path))
        except Exception as error:  # a full disk must not fail the request
            _log(f"profile not written: {error}")


# ---- recorder ------------------------------------------------------------------------------


def _masked(header, value):
    """The value of a header as recorded: secrets keep their shape (scheme, cookie names), not their value."""
    if header not in MASKED_HEADERS:
        return value
    if header in ("authorization", "proxy-authorization"):
        scheme, space, _credentials = value.partition(" ")
        return f"{scheme} {MASK}" if space else MASK
    if header == "cookie":
        return "; ".join(f"{part.split('=', 1)[0].strip()}={MASK}" for part in value.split(";") if part.strip())
    if header == "set-cookie":
        pair, semicolon, attributes = value.partition(";")
        return f"{pair.split('=', 1)[0].strip()}={MASK}{semicolon}{attributes}"
    return MASK


def _environ_view(environ):
    view = {}
    for key in sorted(environ):
        value = environ[key]
        if key.startswith("HTTP_"):
            value = _masked(key[5:].replace("_", "-").lower(), value)
        view[key] = value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)
    return view


def _body_view(data, total, limit):
    """A body as recorded: text when it is UTF-8, else base64; cut at `limit` bytes."""
    view = {"bytes": total, "truncated": total > len(data)}
    try:
        view["text"] = data.decode("utf-8")
    except UnicodeDecodeError:
        view["base64"] = base64.b64encode(data).decode("ascii")
    view["limit"] = limit
    return view


class Recorder:
    def __init__(self, application):
        self.application = application
        self.directory = os.path.join(OUTPUT_DIR, "recordings")
        os.makedirs(self.directory, exist_ok=True)
        self.limit = int(os.environ["WSGI_RECORDER_BODY_LIMIT"])
        self.budget = _Budget(self.directory, int(os.environ["WSGI_RECORDER_MAX_BYTES"]))

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        record = {
            "time": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "pid": os.getpid(),
            "process_group": mod_wsgi.process_group if mod_wsgi else "",
            "request": {
                "method": environ.get("REQUEST_METHOD", ""),
                "path": _request_path(environ),
                "environ": _environ_view(environ),
            },
        }
        # The whole request body is read first (as mod_wsgi-express's recorder does) and the app
        # reads it back from a spooled file, so it is recorded even when the app never reads it.
        body = tempfile.SpooledTemporaryFile(max_size=1 << 20)
        head, total = b"", 0
        source = environ["wsgi.input"]
        while True:
            chunk = source.read(65536)
            if not chunk:
                break
            body.write(chunk)
            if len(head) < self.limit:
                head += chunk[: self.limit - len(head)]
            total += len(chunk)
        body.seek(0)
        environ["wsgi.input"] = body
        record["request"]["body"] = _body_view(head, total, self.limit)
        response = {"status": None, "headers": [], "head": bytearray(), "bytes": 0}

        def seen(chunk):
            response["bytes"] += len(chunk)
            room = self.limit - len(response["head"])
            if room > 0:
                response["head"] += chunk[:room]

        def recording_start_response(status, headers, exc_info=None):
            response["status"] = status
            response["headers"] = [[name, _masked(name.lower(), value)] for name, value in headers]
            write = start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

            def recording_write(data):
                seen(data)
                return write(data)

            return recording_write

        def done(error):
            body.close()
            if error:
                record["error"] = error
            record["response"] = {
                "status": response["status"],
                "headers": response["headers"],
                "body": _body_view(bytes(response["head"]), response["bytes"], self.limit),
            }
            record["milliseconds"] = round((time.perf_counter() - started) * 1000, 3)
            self.write(environ, record)

        try:
            result = self.application(environ, recording_start_response)
        except BaseException:
            done(traceback.format_exc())
            raise
        return _Body(result, contextlib.nullcontext, seen, done)

    def write(self, environ, record):
        try:
            path = os.path.join(self.directory, _file_name(environ, ".json"))
            with open(path + ".part", "w", encoding="utf-8") as out:
                json.dump(record, out, indent=2, ensure_ascii=False)
                out.write("\n")
            os.replace(path + ".part", path)
            self.budget.spent(os.path.getsize(path))
        except Exception as error:  # a full disk must not fail the request
            _log(f"recording not written: {error}")


# ---- the app -------------------------------------------------------------------------------


def load(group):
    """The WSGI app of `group` through the tools WSGI_PROFILER, WSGI_RECORDER and WSGI_COVERAGE turn on."""
    script, source = APPS[group]
    coverage = _on("WSGI_COVERAGE")
    if coverage:
        os.environ["MOD_WSGI_COVERAGE_ENABLED"] = "true"
        _start_coverage(source)
    app = runpy.run_path(script, run_name="__wsgi_apache_app__")["application"]
    tools = app
    if _on("WSGI_PROFILER"):
        os.environ["MOD_WSGI_PROFILER_ENABLED"] = "true"
        tools = Profiler(tools)
    if _on("WSGI_RECORDER"):
        os.environ["MOD_WSGI_RECORDER_ENABLED"] = "true"
        tools = Recorder(tools)

    def application(environ, start_response):
        if coverage:
            _trace_this_thread()
        if environ.get("HTTP_USER_AGENT") == HEALTHCHECK_USER_AGENT:
            return app(environ, start_response)
        return tools(environ, start_response)

    return application


if mod_wsgi is not None:
    application = load(mod_wsgi.process_group or mod_wsgi.application_group)
