"""Names the --data-dir a write into the read-only project needs, in the log, once per folder.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/write-watch.py and loaded into every
daemon process at start (WSGIImportScript in docker/apache2.conf). In production the image's
copy of the project is root's and, under compose.yaml, on a read-only file system: only the
data directories (volumes) take writes. An app that writes elsewhere fails with EACCES or
EROFS, often inside a framework that turns it into a bare 500. This module sees the write
before it happens, through Python's audit hooks (PEP 578: the "open", "os.mkdir", ...,
"sqlite3.connect" events), and logs one line naming the folder and the flag:

    wsgi-apache: write-watch: the app writes /srv/app/collections/x (os.mkdir), which production's read-only
    project refuses: give it a volume with --data-dir collections (yo wsgi-apache --data-dir collections)

In development, where the bind-mounted project is writable, the same write succeeds and the
same line warns that it would fail in production. The lines also go to a file under
APACHE_RUN_DIR, which the image's health check prints when it fails.

A write counts when its target is inside the project and not on a mount below it (the data
directories' volumes and bind mounts), and, in production, when its folder is not writable.
Bytecode caches and the development tools' own .wsgi/ folder are left out.
"""

import json
import os
import sys
import threading

PREFIX = "wsgi-apache: write-watch:"
HINTS_FILE = "write-hints"

# Audit events that write a path, and the positions of their path arguments
# (https://docs.python.org/3/library/audit_events.html).
WRITE_EVENTS = {
    "os.mkdir": (0,),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "sqlite3.connect": (0,),
}
FOLDER_EVENTS = {"os.mkdir", "os.rmdir", "shutil.rmtree"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
IGNORED_PARTS = {"__pycache__", ".wsgi"}


def mount_points(mountinfo="/proc/self/mountinfo"):
    """The mount points of this process (field 5 of mountinfo, octal escapes decoded)."""
    points = []
    with open(mountinfo) as handle:
        for line in handle:
            fields = line.split()
            if len(fields) > 4:
                points.append(fields[4].encode().decode("unicode_escape"))
    return points


def written_path(event, args):
    """The paths an audit event writes, as strings; [] for an event that writes none.

    "open" counts only with flags that write (its args are path, mode, flags); "sqlite3.connect"
    only for a file database, not ":memory:" or a URI.
    """
    if event == "open":
        path, _mode, flags = args
        return [path] if isinstance(flags, int) and flags & WRITE_FLAGS else []
    positions = WRITE_EVENTS.get(event)
    if positions is None:
        return []
    paths = [args[i] for i in positions if i < len(args)]
    if event == "sqlite3.connect":
        paths = [p for p in paths if p not in (":memory:", b":memory:", "") and not str(p).startswith("file:")]
    return paths


class WriteWatch:
    """Decides which writes under `app_dir` need a data directory, and says so once per folder.

    `mounts` are mount points (those below `app_dir` are the data directories); `production`
    makes a write count only when its folder is not writable; `log` takes each line;
    `relocated` are files production moves to a data volume (Django's SQLite database), whose
    writes, and those of SQLite's -journal, -wal and -shm files beside them, need nothing.
    """

    def __init__(self, app_dir, mounts, production, log, writable=None, relocated=()):
        self.app_dir = app_dir.rstrip("/")
        self.relocated = tuple(relocated)
        self.mounts = [m.rstrip("/") for m in mounts if m.startswith(self.app_dir + "/")]
        self.production = production
        self.log = log
        self.writable = writable or folder_writable
        self.named = set()
        self.lock = threading.Lock()

    def folder_of(self, path, is_folder=False):
        """The project-relative folder to give --data-dir for a write of `path` (a folder itself when `is_folder`).

        Returns None when the write needs none, and "" when no folder can hold it (a file at
        the project's top level, or in a folder of code).
        """
        if isinstance(path, int):
            return None
        try:
            text = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if not text.startswith(self.app_dir + "/") or text.endswith(".pyc"):
            return None
        parts = text[len(self.app_dir) + 1 :].split("/")
        if IGNORED_PARTS.intersection(parts):
            return None
        if any(text == r or text.startswith(r + "-") for r in self.relocated):
            return None
        if any(text == m or text.startswith(m + "/") for m in self.mounts):
            return None
        if self.production and self.writable(os.path.dirname(text)):
            return None
        for depth in range(1, len(parts) + (1 if is_folder else 0)):
            folder = "/".join(parts[:depth])
            if not holds_code(os.path.join(self.app_dir, folder)):
                return folder
        return ""

    def check(self, event, args):
        """The audit hook: logs the first write into each folder that needs a data directory."""
        for path in written_path(event, args):
            folder = self.folder_of(path, is_folder=event in FOLDER_EVENTS)
            if folder is None:
                continue
            with self.lock:
                if folder in self.named:
                    continue
                self.named.add(folder)
            self.log(self.line(os.fsdecode(path), event, folder))

    def line(self, path, event, folder):
        """The one line logged for a write into `folder` ("" when no folder can hold it)."""
        where = "production's read-only project refuses"
        if not self.production:
            where = f"works here, but {where}"
        if folder == "":
            fix = "write it into a folder of its own (e.g. var/) and give that folder --data-dir var"
        else:
            fix = f"give it a volume with --data-dir {folder} (yo wsgi-apache --data-dir {folder})"
        return f"{PREFIX} the app writes {path} ({event}), which {where}: {fix}"


def holds_code(folder, limit=2000):
    """Whether `folder` holds a .py file within its first `limit` entries (a missing folder holds none)."""
    seen = 0
    for _root, _dirs, files in os.walk(folder):
        if any(name.endswith(".py") for name in files):
            return True
        seen += len(files) + len(_dirs)
        if seen > limit:
            return True
    return False


def folder_writable(folder):
    """Whether this process may create files in `folder`, or in the nearest folder above it that exists."""
    while folder and not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    try:
        return os.access(folder, os.W_OK) and not (os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def logger(run_dir):
    """Writes a line to stderr (Apache's error log) and appends it to `run_dir`/write-hints."""

    def log(line):
        print(line, file=sys.stderr, flush=True)
        try:
            fd = os.open(os.path.join(run_dir, HINTS_FILE), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            with os.fdopen(fd, "a") as handle:
                handle.write(line + "\n")
        except OSError:
            pass

    return log


def relocated_files(data_file):
    """ "writeWatch"."relocated" of docker/wsgi-apache.json; none when the file or the key is missing."""
    try:
        with open(data_file) as handle:
            return json.load(handle)["writeWatch"]["relocated"]
    except (OSError, ValueError, KeyError):
        return []


def install(environ=os.environ, mountinfo="/proc/self/mountinfo"):
    """Adds the hook to this process and returns it."""
    here = os.path.dirname(os.path.abspath(__file__))
    watch = WriteWatch(
        os.path.dirname(here),
        mount_points(mountinfo),
        production=environ.get("WSGI_ENVIRONMENT") != "development",
        log=logger(environ.get("APACHE_RUN_DIR", "/tmp/apache2")),
        relocated=relocated_files(os.path.join(here, "wsgi-apache.json")),
    )
    sys.addaudithook(watch.check)
    return watch


def _start():
    try:
        import mod_wsgi  # noqa: F401
    except ImportError:
        return  # not inside Apache (a unit test imports this file)
    install()


_start()
