"""Reload on code changes, for development.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/reloader.py, and loaded into every daemon
process at start (WSGIImportScript in docker/apache2.conf). It does nothing unless
WSGI_RELOAD_ON_CHANGES=1, which compose.override.yaml sets and the production shape never does.

Modelled on mod_wsgi-express --reload-on-changes: a thread polls file mtimes about once
a second (polling works on bind mounts where inotify events never arrive: macOS and
Windows hosts) and a changed file restarts the daemon processes with SIGINT; Apache
starts fresh ones that import the new code. Three differences:

- One watcher per process group, not one per process: the daemon processes elect it
  with a lock file, so the idle cost stays that of one scan per second however many
  processes run.
- A rolling restart: the watcher restarts its siblings one at a time, waiting for each
  replacement, and itself last, so a process is always there to take requests.
- Where inotify events do arrive (Linux hosts), they wake the watcher at once instead of
  at the next poll; the poll still runs and the mtimes still decide.

Every .py and .wsgi file under the app directory is watched, not only loaded modules, so
fixing a file whose import failed also reloads, and a WSGI script edited while the request
tools load it through docker/devtools.wsgi does too; the virtualenv and the system's site-packages
are never watched. WSGI_RELOAD_EXTRA_FILES adds patterns ("templates/*.html *.toml").

What each process group watches comes from docker/wsgi-apache.json, which the generator
writes beside this file: "reloadWatch" maps a group to the directory of its app and the
directories of other groups' apps inside it (--mount), so an edit restarts only its own group.

In every shape, it also logs why each daemon process stops (mod_wsgi says so at info only).
"""

import ctypes
import ctypes.util
import fcntl
import fnmatch
import json
import os
import select
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
APP_DIR = os.path.dirname(HERE)
RUN_DIR = os.path.join(os.environ.get("APACHE_RUN_DIR", "/tmp/apache2"), "reloader")
SKIP_DIRS = {"__pycache__", "node_modules", "venv", "env", "site-packages"}


def _log(message):
    print(f"monitor (pid={os.getpid()}): {message}", file=sys.stderr, flush=True)


class _Inotify:
    """inotify through libc, watching directories only; no-op where it is not available."""

    # IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
    MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200

    def __init__(self):
        self.fd = -1
        self.watched = set()
        if os.environ.get("WSGI_RELOAD_INOTIFY", "1") == "0":
            return  # polling only, as on macOS and Windows hosts
        try:
            self.libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        except (OSError, AttributeError):
            self.fd = -1

    def watch(self, directories):
        if self.fd < 0:
            return
        for directory in directories - self.watched:
            if self.libc.inotify_add_watch(self.fd, directory.encode(), self.MASK) >= 0:
                self.watched.add(directory)

    def wait(self, timeout):
        """Sleeps up to `timeout` seconds, less if an event arrives (then 50 ms more, so a save is whole)."""
        if self.fd < 0:
            time.sleep(timeout)
            return
        if select.select([self.fd], [], [], timeout)[0]:
            time.sleep(0.05)
            try:
                while os.read(self.fd, 65536):
                    pass
            except BlockingIOError:
                pass


def _snapshot(patterns, watch, directories=None):
    mtimes = {}
    stack = [watch["root"]]
    skip = set(watch["skip"])
    while stack:
        directory = stack.pop()
        if directory in skip:
            continue
        if directories is not None:
            directories.add(directory)
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    stack.append(entry.path)
            elif entry.name.endswith((".py", ".wsgi")) or (
                patterns and any(fnmatch.fnmatch(os.path.relpath(entry.path, APP_DIR), p) for p in patterns)
            ):
                try:
                    mtimes[entry.path] = entry.stat().st_mtime_ns
                except OSError:
                    pass
    return mtimes


def _group_pids(group):
    """Daemon processes of this group, found by their display-name=%{GROUP} "(wsgi:GROUP)"."""
    name = f"(wsgi:{group})".encode()
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if cmdline.read().split(b"\0", 1)[0].strip() == name:
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def _restart_one(pid, group, expected, timeout=20.0):
    """SIGINT one daemon process and wait until Apache has replaced it."""
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = _group_pids(group)
        if pid not in pids and len(pids) >= expected:
            return
        time.sleep(0.05)
    _log(f"process {pid} was not replaced within {timeout:.0f} s; continuing.")


def watched(group, data_file=None):
    """What `group` watches: {"root": directory, "skip": [directories]} from docker/wsgi-apache.json.

    A group the file does not name, or a missing file, watches the whole app directory.
    """
    try:
        with open(data_file or os.path.join(HERE, "wsgi-apache.json")) as handle:
            watch = json.load(handle)["reloadWatch"]
    except (OSError, ValueError, KeyError):
        watch = {}
    return watch.get(group, {"root": APP_DIR, "skip": []})


def _watch(group, interval, patterns):
    watch = watched(group)
    # One lock and one hand-over state per group. The state is the file state the running
    # processes were started from, handed from one watcher to the next, so a change saved
    # during a restart is not missed.
    lock_file = os.path.join(RUN_DIR, f"watcher-{group}.lock")
    state_file = os.path.join(RUN_DIR, f"state-{group}.json")
    try:
        lock = open(lock_file, "a")
    except OSError as error:
        _log(f"Cannot start the change monitor, reloading is off: {error}")
        return
    fcntl.flock(lock, fcntl.LOCK_EX)  # blocks until this process is the group's watcher
    _log("Starting change monitor.")
    inotify = _Inotify()
    try:
        with open(state_file) as state:
            before = json.load(state)
    except (OSError, ValueError):
        before = _snapshot(patterns, watch)
    while True:
        directories = set()
        now = _snapshot(patterns, watch, directories)
        inotify.watch(directories)
        if now != before:
            changed = sorted(set(now) ^ set(before) | {p for p in now if before.get(p) != now[p]})
            _log(f'Change detected to "{changed[0]}", triggering process restart.')
            with open(state_file, "w") as state:
                json.dump(now, state)
            me = os.getpid()
            siblings = [pid for pid in _group_pids(group) if pid != me]
            for pid in siblings:
                _restart_one(pid, group, expected=len(siblings) + 1)
            os.kill(me, signal.SIGINT)
            return
        inotify.wait(interval)


# mod_wsgi's shutdown reasons (5.0.2, src/server/mod_wsgi.c); "" is a stop Apache asked for
# (docker stop, a graceful restart), maximum-requests, or a reload's SIGINT.
_STOP_REASONS = {
    "request_timeout": "request-timeout: its requests averaged over its threads ran past WSGI_REQUEST_TIMEOUT",
    "inactivity_timeout": "inactivity-timeout",
    "restart_interval": "restart-interval",
    "startup_timeout": "startup-timeout: the WSGI script failed to load within 15 s",
    "cpu_time_limit": "cpu-time-limit",
    "graceful_signal": "a graceful restart signal",
    "": "Apache stopped or restarted it, maximum-requests, or a reload",
}


def _log_stopping(event, shutdown_reason="", **_):
    """Logs why this daemon process stops, as an error-log line that LogLevel warn keeps.

    mod_wsgi logs its own reason at info only, so at the default level a replaced process
    left no trace. Subscribed with mod_wsgi.subscribe_shutdown, which calls it with the
    event's fields as keywords.
    """
    import mod_wsgi

    why = f"{shutdown_reason or 'stop'} ({_STOP_REASONS.get(shutdown_reason, shutdown_reason)})"
    process = f"daemon process (pid={os.getpid()}) of group '{mod_wsgi.process_group}'"
    print(f"{process} stopping: {why}", file=sys.stderr, flush=True)


def _start():
    try:
        import mod_wsgi
    except ImportError:
        return  # not inside Apache (a unit test imports this file)

    if mod_wsgi.process_group:
        mod_wsgi.subscribe_shutdown(_log_stopping)
    if os.environ.get("WSGI_RELOAD_ON_CHANGES", "0").lower() not in ("1", "true", "yes", "on"):
        return

    if not mod_wsgi.process_group:
        return  # embedded (debug) mode: one process, nothing to restart from here
    os.environ["MOD_WSGI_RELOADER_ENABLED"] = "true"
    # Empty (compose.override.yaml passes the shell's, unset or not): the default.
    interval = float(os.environ.get("WSGI_RELOAD_INTERVAL") or "1.0")
    patterns = os.environ.get("WSGI_RELOAD_EXTRA_FILES", "").split()
    thread = threading.Thread(
        target=_watch, args=(mod_wsgi.process_group, interval, patterns), name="wsgi-reloader", daemon=True
    )
    thread.start()


_start()
