"""Restarts a mod_wsgi daemon process gracefully once its resident memory passes a limit.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/memory-watch.py and loaded into every
daemon process at start (WSGIImportScript in docker/apache2.conf). A leak then costs a
graceful restart, not the container's OOM kill of a process with requests in flight.

WSGI_MAXIMUM_MEMORY is the limit in MiB per daemon process; 0 turns the watch off. envvars
sets it (by default 3/4 of the container's memory limit shared among the daemon processes).
Every WSGI_MEMORY_CHECK_INTERVAL seconds (default 1) a thread reads the process's resident
set from /proc/self/statm; past the limit, it logs one line at warn and sends the process
SIGUSR1, mod_wsgi's graceful restart (the ``graceful_signal`` shutdown reason): the process
stops taking requests, its requests get graceful-timeout (WSGI_GRACEFUL_TIMEOUT) to finish,
and Apache starts a fresh one. mod_wsgi's own ``memory-limit`` option is a setrlimit() that
makes allocations fail instead (MemoryError in the request), so it is not used.
"""

import os
import signal
import sys
import threading
import time

MIB = 1024 * 1024


def resident_bytes(statm="/proc/self/statm"):
    """The resident set of this process, in bytes (Linux's /proc/<pid>/statm, field 2, in pages)."""
    with open(statm) as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def limit_from_environment(environ=os.environ):
    """WSGI_MAXIMUM_MEMORY as bytes; 0 (off) when unset, empty or 0.

    Raises ValueError for a value that is not a whole number of MiB (envvars refuses those
    before Apache starts, so this only guards a daemon started some other way).
    """
    text = environ.get("WSGI_MAXIMUM_MEMORY", "").strip() or "0"
    if not text.isdigit():
        raise ValueError(f'WSGI_MAXIMUM_MEMORY="{text}" is not a whole number of MiB')
    return int(text) * MIB


def watch(limit, interval, group, measure=resident_bytes, stop=lambda: False):
    """Polls `measure()` every `interval` seconds; past `limit` bytes, logs and sends SIGUSR1 once.

    Returns the resident bytes that triggered the restart, or None when `stop()` became true.
    """
    while not stop():
        used = measure()
        if used > limit:
            print(
                f"daemon process (pid={os.getpid()}) of group '{group}' uses {used // MIB} MiB, "
                f"past WSGI_MAXIMUM_MEMORY={limit // MIB} MiB: restarting it gracefully",
                file=sys.stderr,
                flush=True,
            )
            os.kill(os.getpid(), signal.SIGUSR1)
            return used
        time.sleep(interval)
    return None


def _start():
    try:
        import mod_wsgi
    except ImportError:
        return  # not inside Apache (a unit test imports this file)
    limit = limit_from_environment()
    if not mod_wsgi.process_group or limit == 0:
        return  # embedded (debug) mode has no daemon process to restart; 0 is off
    interval = float(os.environ.get("WSGI_MEMORY_CHECK_INTERVAL") or "1")
    threading.Thread(
        target=watch, args=(limit, interval, mod_wsgi.process_group), name="wsgi-memory-watch", daemon=True
    ).start()


_start()
