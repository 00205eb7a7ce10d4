"""Runs a worker's command and restarts it when the project's code changes: the development shape.

compose.override.yaml runs each --worker as `python3 docker/restart-on-change.py COMMAND...`.
It watches what the app's reload monitor (docker/reloader.py) watches: every .py and .wsgi file
under the project, plus WSGI_RELOAD_EXTRA_FILES patterns ("templates/*.html *.toml"), skipping
hidden, cache and virtualenv directories. It polls mtimes (bind mounts from macOS and Windows
hosts deliver no inotify events) every WSGI_RELOAD_INTERVAL seconds (default 1; empty is the default, as the development shape passes it).

On a change it sends SIGTERM to the command and waits for it to end (Celery's warm shutdown
finishes its tasks first), up to WSGI_WORKER_STOP_TIMEOUT seconds (default 10) before SIGKILL,
then starts it again. SIGTERM or SIGINT to this program goes to the command, and this program
exits with the command's status, so `docker stop` behaves as without it.
"""

import fnmatch
import os
import signal
import subprocess
import sys
import time

SKIP_DIRS = {"__pycache__", "node_modules", "venv", "env", "site-packages"}


def _log(message):
    print(f"restart-on-change: {message}", file=sys.stderr, flush=True)


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
        print("usage: restart-on-change.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    root = os.environ.get("WSGI_APP_DIR", os.getcwd())
    interval = float(os.environ.get("WSGI_RELOAD_INTERVAL") or "1")
    timeout = float(os.environ.get("WSGI_WORKER_STOP_TIMEOUT") or "10")
    patterns = os.environ.get("WSGI_RELOAD_EXTRA_FILES", "").split()
    stopping = []

    def forward(signum, _frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    before = snapshot(root, patterns)
    child = subprocess.Popen(argv)
    while True:
        time.sleep(interval)
        if stopping:
            return stop(child, timeout)
        status = child.poll()
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
