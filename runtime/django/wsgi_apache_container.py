"""What the image's Django settings add to the project's own, as plain values.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/django/wsgi_apache_container.py. The
generated docker/django/wsgi_apache_settings.py imports the project's settings, then
updates them with what container_settings() returns for the few values that vary per
project (the generator writes them there):

- STATIC_ROOT, when the settings have none: collectstatic writes the static files (the
  admin's CSS too) there at build time, and Apache serves them at STATIC_URL.
- DATABASES["default"] from DATABASE_URL when it is set and the settings do not read it
  themselves (the --service database's, or yours), with persistent connections.
- A SQLite database inside the project, where the project directory is read-only (the
  production shape: the image's copy, read-only root file system), moved to a data
  directory, a named volume. Under the development bind mount the project is writable and
  the database stays where the settings put it.
"""

import os
from pathlib import Path

SQLITE = "django.db.backends.sqlite3"

# Persistent connections, one per daemon thread (processes x threads in all), checked before
# reuse: a new PostgreSQL connection per request (Django's default, CONN_MAX_AGE=0) costs
# about 20 ms of CPU for its SCRAM handshake and backend start, measured here.
PERSISTENT = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def parse_database_url(url):
    """DATABASE_URL as a DATABASES entry: dj-database-url's parse when installed, ours otherwise."""
    try:
        from dj_database_url import parse
    except ImportError:
        from wsgi_apache_database_url import parse
    return parse(url)


def container_settings(
    settings,
    *,
    static_root="",
    database_url=True,
    app_dir="/srv/app",
    sqlite_data_dir="",
    environ=os.environ,
    writable=lambda path: os.access(path, os.W_OK),
):
    """The settings to change, as a dict for globals().update().

    settings: the project's settings module's globals; static_root: the default STATIC_ROOT
    ("" for none); database_url: read DATABASE_URL (False when the settings read it
    themselves); app_dir: the project in the image; sqlite_data_dir: where a SQLite file in a
    read-only project moves ("" for nowhere); environ and writable: for tests.
    """
    changed = {}
    if static_root and not settings.get("STATIC_ROOT"):
        changed["STATIC_ROOT"] = static_root
    databases = dict(settings.get("DATABASES", {}))
    if database_url and environ.get("DATABASE_URL"):
        databases["default"] = {**parse_database_url(environ["DATABASE_URL"]), **PERSISTENT}
    if sqlite_data_dir:
        for alias, database in databases.items():
            path = sqlite_path(database)
            if path and path.is_relative_to(app_dir) and not writable(path.parent):
                databases[alias] = {**database, "NAME": Path(sqlite_data_dir) / path.name}
    if databases != settings.get("DATABASES", {}):
        changed["DATABASES"] = databases
    return changed


def sqlite_path(database):
    """The file of a SQLite database entry, None for another engine or an in-memory one."""
    name = database.get("NAME")
    if database.get("ENGINE") != SQLITE or not name or str(name) == ":memory:":
        return None
    return Path(name)
