"""Runs a --worker's command in every shape: stops it as a worker expects, restarts it on code changes in development.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

compose.yaml and kubernetes/workers.yaml run each worker as `python3 docker/worker.py COMMAND...`:

- Stopping: the image's STOPSIGNAL is SIGWINCH (Apache's graceful stop), which Celery and RQ
  ignore; this program takes SIGWINCH, SIGTERM and SIGINT alike and sends the command SIGTERM
  (Celery's warm shutdown: it finishes the tasks it runs), waits up to WSGI_GRACEFUL_TIMEOUT
  seconds (default 15; compose.yaml's stop_grace_period is 5 s longer), then SIGKILL, and exits
  with the command's status.
- With WSGI_RELOAD_ON_CHANGES=1 (the development shape) it watches what the app's reload monitor
  (docker/reloader.py) watches: every .py and .wsgi file under the project, plus
  WSGI_RELOAD_EXTRA_FILES patterns ("templates/*.html *.toml"), skipping hidden, cache and
  virtualenv directories, polling mtimes (bind mounts from macOS and Windows hosts deliver no
  inotify events) every WSGI_RELOAD_INTERVAL seconds (default 1), and restarts the command on a
  change. A command that ends by itself is started again at the next change.
- Otherwise it exits when the command does, with its status, for the restart policy to act on.
"""

import fnmatch
import os
import signal
import subprocess
import sys
import time

SKIP_DIRS = {"__pycache__", "node_modules", "venv", "env", "site-packages"}


def _log(message):
    print(f"worker: {message}", file=sys.stderr, flush=True)


def snapshot(root, patterns=()):
    """The watched files under `root` and their mtimes (ns): {path: mtime_ns}."""
    mtimes = {}
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    stack.append(entry.path)
            elif entry.name.endswith((".py", ".wsgi")) or any(
                fnmatch.fnmatch(os.path.relpath(entry.path, root), pattern) for pattern in patterns
            ):
                try:
                    mtimes[entry.path] = entry.stat().st_mtime_ns
                except OSError:
                    pass
    return mtimes


def changed(before, after):
    """The paths added, removed or modified between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def stop(child, timeout):
    """SIGTERM to `child`, then SIGKILL after `timeout` seconds; returns its exit status."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            return child.wait(timeout)
        except subprocess.TimeoutExpired:
            _log(f"pid {child.pid} still runs after {timeout:g} s: SIGKILL")
            child.kill()
    return child.wait()


def main(argv):
    if not argv:
        print("usage: worker.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    root = os.getcwd()
    interval = float(os.environ.get("WSGI_RELOAD_INTERVAL") or "1")
    timeout = float(os.environ.get("WSGI_GRACEFUL_TIMEOUT") or "15")
    reload = os.environ.get("WSGI_RELOAD_ON_CHANGES") == "1"
    patterns = os.environ.get("WSGI_RELOAD_EXTRA_FILES", "").split()
    stopping = []

    def forward(signum, _frame):
        stopping.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGWINCH):
        signal.signal(signum, forward)
    before = snapshot(root, patterns) if reload else {}
    child = subprocess.Popen(argv)
    while True:
        # Polled, not waited on: a signal's handler runs, but wait() would then resume (PEP 475).
        time.sleep(interval if reload else 0.2)
        if stopping:
            return stop(child, timeout)
        status = child.poll()
        if not reload:
            if status is not None:
                return status
            continue
        after = snapshot(root, patterns)
        edits = changed(before, after)
        before = after
        if edits:
            _log(f"{edits[0]} changed: restarting {argv[0]}")
            stop(child, timeout)
            child = subprocess.Popen(argv)
        elif status is not None:
            # Ended by itself (a crash, an import error): started again only once the code changes.
            _log(f"{argv[0]} exited with status {status}; waiting for a change to start it again")
            while not stopping and not changed(before, snapshot(root, patterns)):
                time.sleep(interval)
            if stopping:
                return status
            before = snapshot(root, patterns)
            child = subprocess.Popen(argv)


def exit_code(status):
    """A child's status as a shell reports it: 128 + N for a child ended by signal N."""
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(exit_code(main(sys.argv[1:])))
