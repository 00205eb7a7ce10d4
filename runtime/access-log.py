r"""Apache's access log, batched.

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

With the argument `json` (APACHE_ACCESS_LOG_FORMAT=json) each line is made valid JSON (RFC
8259) on its way through: Apache escapes a byte above 0x7e or below 0x20 in a logged value as
`\xhh`, and a vertical tab as `\v`, neither of which JSON has (httpd's ap_escape_logitem).
A run of such bytes that is UTF-8 becomes its characters, any other byte `\u00hh`. The
time's offset gets its colon (`+0000` becomes `+00:00`), so it is an RFC 3339 time.
"""

import fcntl
import os
import re
import signal
import sys
import time

BATCH_SECONDS = 0.05
# Linux F_SETPIPE_SZ: room for a batch interval of lines at tens of thousands of
# requests/s, so Apache never blocks on a full pipe while this sleeps.
F_SETPIPE_SZ = 1031
PIPE_BYTES = 1 << 20


# A run of Apache's \xhh escapes, or its \v; the backslash of an escaped backslash (\\) is
# consumed first, so the "\x" in a logged "\\x41" is left alone.
APACHE_ESCAPE = re.compile(rb"\\(?:\\|v|(x[0-9a-fA-F]{2}(?:\\x[0-9a-fA-F]{2})*))")
TIME_OFFSET = re.compile(rb'("time":"[^"]*[+-][0-9]{2})([0-9]{2}")')


def json_escape(match):
    """One APACHE_ESCAPE match as JSON: the characters of valid UTF-8, `\\u00hh` otherwise."""
    if match.group(0) == b"\\\\":
        return match.group(0)
    if match.group(0) == b"\\v":
        return b"\\u000b"
    raw = bytes(int(hex_digits, 16) for hex_digits in (b"\\" + match.group(1)).split(b"\\x") if hex_digits)
    out = []
    for char in raw.decode("utf-8", "surrogateescape"):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8: its value
            out.append(f"\\u{code - 0xDC00:04x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out).encode("utf-8")


def as_json(lines):
    """Whole lines of Apache's json LogFormat (bytes), made valid JSON with an RFC 3339 time."""
    return TIME_OFFSET.sub(rb"\1:\2", APACHE_ESCAPE.sub(json_escape, lines))


def write_all(data):
    while data:
        data = data[os.write(1, data) :]


class Batcher:
    """Writes what it is given; in JSON mode only whole lines, the rest kept for the next batch."""

    def __init__(self, json_mode):
        self.json_mode = json_mode
        self.partial = b""

    def write(self, data):
        if not self.json_mode:
            write_all(data)
            return
        data = self.partial + data
        end = data.rfind(b"\n") + 1
        self.partial = data[end:]
        write_all(as_json(data[:end]))

    def flush(self):
        write_all(as_json(self.partial) if self.json_mode else self.partial)
        self.partial = b""


def drain_and_exit(batcher):
    """Writes what is left in the pipe without waiting for more, then exits."""
    os.set_blocking(0, False)
    try:
        while True:
            data = os.read(0, PIPE_BYTES)
            if not data:
                break
            batcher.write(data)
    except BlockingIOError:
        pass
    batcher.flush()
    sys.exit(0)


def main(argv):
    batcher = Batcher(json_mode=argv[1:2] == ["json"])
    signal.signal(signal.SIGTERM, lambda *_: drain_and_exit(batcher))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        fcntl.fcntl(0, F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:
        pass  # a smaller pipe only means Apache may wait a little when it is full
    while True:
        data = os.read(0, PIPE_BYTES)
        if not data:
            batcher.flush()
            return
        batcher.write(data)
        time.sleep(BATCH_SECONDS)


if __name__ == "__main__":
    main(sys.argv)
