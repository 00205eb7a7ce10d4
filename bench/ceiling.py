"""The app's own Python cost per request: the ceiling every server is measured against (issue 30).

python3 ceiling.py APP PATH SECONDS imports APP (gunicorn's form, `module:name` or
`module:factory()`) from the working directory, then calls it in a loop in this one thread, for
SECONDS after a warm-up, with a canned WSGI environ for GET PATH: what a server hands the app,
with no server around it. Each call gets a fresh environ and `wsgi.input`, and its body is read
to the end and closed, as PEP 3333 asks of a server. Prints one JSON object: the calls, the
process's CPU and wall time per call in microseconds, the first call's status, and its body.

No server can serve faster than cores / (CPU per call): that is the ceiling's requests/s.
"""

import importlib
import io
import json
import os
import sys
import time


def load(spec):
    """`shop:create_app()` -> the WSGI callable, as gunicorn's APP_MODULE loads it (from the working directory)."""
    sys.path.insert(0, os.getcwd())
    module_name, _, expression = spec.partition(":")
    module = importlib.import_module(module_name)
    if expression.endswith("()"):
        return getattr(module, expression[:-2])()
    return getattr(module, expression or "application")


def canned_environ(path, port):
    """GET `path` from 127.0.0.1, as wrk sends it through a published port."""
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": f"127.0.0.1:{port}",
        "HTTP_ACCEPT": "*/*",
        "HTTP_USER_AGENT": "ceiling",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app, environ):
    """One request: the status and the whole body."""
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(line)
        return lambda data: None

    result = app(dict(environ, **{"wsgi.input": io.BytesIO(b"")}), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return status[0], body


def main(argv):
    spec, path, seconds = argv[1], argv[2], float(argv[3])
    app = load(spec)
    environ = canned_environ(path, 8000)
    status, body = call(app, environ)
    warm_until = time.monotonic() + min(2.0, seconds)
    while time.monotonic() < warm_until:
        call(app, environ)
    calls = 0
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    end = wall_start + seconds
    while time.perf_counter() < end:
        call(app, environ)
        calls += 1
    cpu = time.process_time() - cpu_start
    wall = time.perf_counter() - wall_start
    result = {
        "calls": calls,
        "cpuMicrosPerCall": cpu / calls * 1e6,
        "wallMicrosPerCall": wall / calls * 1e6,
        "status": status,
        "body": body.decode("utf-8", "replace"),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
