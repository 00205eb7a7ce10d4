"""Serves one corpus app the way the generated image would, minus Apache: for smoke.test.ts.

Runs as root in a trixie container that has only the app's apt packages (plus python3-venv),
with the project tree mounted read-only at /src:

    python3 serve.py '{"entry": ..., "dataDirs": [...], "outsideWrites": [...],
                       "initCommands": [...], "pipEnv": {...}}'

Like the generated Dockerfile it copies the project to /srv/app (root's), makes a
--system-site-packages virtualenv, pip-installs pyproject.toml's [project] dependencies and
requirements.txt, then the project itself (`pip install -e`) when pyproject.toml makes it a
package, all with only pipEnv's settings (no index here). Then, as nobody (65534), it runs
the init commands and serves the entry with wsgiref, threaded, on 0.0.0.0:8000.
"""

import importlib
import json
import os
import runpy
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

APP_DIR = Path("/srv/app")
VENV = Path("/opt/venv")
APP_UID = APP_GID = 65534


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    # Concurrent requests, as mod_wsgi's threads serve them.
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - wsgiref's signature
        sys.stderr.write("%s\n" % (format % args))


def install_python_deps(pip_env: dict) -> None:
    """The generated Dockerfile's two pip steps, offline."""
    env = {**os.environ, **pip_env}
    requirements = []
    if (APP_DIR / "requirements.txt").is_file():
        requirements.append("-r requirements.txt")
    pyproject = {}
    if (APP_DIR / "pyproject.toml").is_file():
        pyproject = tomllib.loads((APP_DIR / "pyproject.toml").read_text())
        requirements.extend(pyproject.get("project", {}).get("dependencies", []))
    pip = [str(VENV / "bin" / "pip"), "install", "--no-cache-dir", "--disable-pip-version-check"]
    if requirements:
        (Path("/tmp") / "all-requirements.txt").write_text("\n".join(requirements) + "\n")
        subprocess.run([*pip, "-r", "/tmp/all-requirements.txt"], cwd=APP_DIR, env=env, check=True)
    if "build-system" in pyproject and "name" in pyproject.get("project", {}):
        subprocess.run([*pip, "-e", str(APP_DIR)], env=env, check=True)


def load_entry(entry: str):
    """`module:callable`, `module:factory()` or a WSGI script path, as the generated app.wsgi loads it."""
    if ":" not in entry:
        return runpy.run_path(str(APP_DIR / entry))["application"]
    module, _, name = entry.partition(":")
    factory = name.endswith("()")
    target = getattr(importlib.import_module(module), name.removesuffix("()"))
    app = target() if factory else target
    try:
        from django.core.handlers.wsgi import WSGIHandler
    except ImportError:
        return app
    if isinstance(app, WSGIHandler):
        # Under the generator Apache serves /static/ from the collected files; here Django's
        # staticfiles finders answer it, as runserver does with DEBUG on.
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        return StaticFilesHandler(app)
    return app


def main() -> None:
    spec = json.loads(sys.argv[1])
    shutil.copytree("/src", APP_DIR, symlinks=True)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(VENV)], check=True)
    install_python_deps(spec.get("pipEnv", {}))
    for path in [*(APP_DIR / d for d in spec.get("dataDirs", [])), *map(Path, spec.get("outsideWrites", []))]:
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, APP_UID, APP_GID)

    os.environ.update(
        PATH=f"{VENV / 'bin'}:{os.environ['PATH']}",
        PYTHONPATH=str(APP_DIR),
        HOME="/tmp",
        PYTHONDONTWRITEBYTECODE="1",
    )
    os.chdir(APP_DIR)
    os.setgroups([])
    os.setgid(APP_GID)
    os.setuid(APP_UID)
    for command in spec.get("initCommands", []):
        subprocess.run(["sh", "-c", command], check=True)
    # The app runs in this process, so use the virtualenv's view of packages, as python-home does.
    if sys.prefix != str(VENV):
        os.execv(str(VENV / "bin" / "python"), [str(VENV / "bin" / "python"), __file__, "--serve", spec["entry"]])
    serve(spec["entry"])


def serve(entry: str) -> None:
    sys.path.insert(0, str(APP_DIR))
    application = load_entry(entry)
    server = make_server("0.0.0.0", 8000, application, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    print(f"serving {entry} on :8000", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        main()
