"""Apache's access log, batched.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/access-log.py.

Apache pipes each access-log line here (CustomLog "||..." in docker/apache2.conf); this
writes whatever has arrived to the container's stdout at most every 50 ms. Written one line
per request, the lines each cost Docker's log pipeline (containerd-shim, dockerd) a wake-up:
about a quarter of hello-world throughput (bench/results in the generator's repository).
Batched, `docker logs` still shows a request within 50 ms, unlike Apache's BufferedLogs, which
holds lines until 4 KB have gathered.

Apache restarts this program if it dies. At shutdown, what is already in the pipe is
written before exiting, so no line is lost.
"""

import fcntl
import os
import signal
import sys
import time

BATCH_SECONDS = 0.05
# Linux F_SETPIPE_SZ: room for a batch interval of lines at tens of thousands of
# requests/s, so Apache never blocks on a full pipe while this sleeps.
F_SETPIPE_SZ = 1031
PIPE_BYTES = 1 << 20


def write_all(data):
    while data:
        data = data[os.write(1, data) :]


def drain_and_exit(*_):
    """Writes what is left in the pipe without waiting for more, then exits."""
    os.set_blocking(0, False)
    try:
        while True:
            data = os.read(0, PIPE_BYTES)
            if not data:
                break
            write_all(data)
    except BlockingIOError:
        pass
    sys.exit(0)


def main():
    signal.signal(signal.SIGTERM, drain_and_exit)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        fcntl.fcntl(0, F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass  # a smaller pipe only means Apache may wait a little when it is full
    while True:
        data = os.read(0, PIPE_BYTES)
        if not data:
            return
        write_all(data)
        time.sleep(BATCH_SECONDS)


if __name__ == "__main__":
    main()
