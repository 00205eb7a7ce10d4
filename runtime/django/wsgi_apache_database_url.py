"""DATABASE_URL as a Django DATABASES entry, for settings that do not read it themselves.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

docker/django/wsgi_apache_settings.py uses dj-database-url when the project has it, and this
otherwise. It reads the forms the generated services produce (postgres://, mysql://) and
sqlite:///PATH, as dj-database-url reads them (https://github.com/jazzband/dj-database-url):
user, password, host and database name percent-decoded, and `?` options as OPTIONS.
"""

from urllib.parse import parse_qsl, unquote, urlsplit

ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "mysql": "django.db.backends.mysql",
    "mariadb": "django.db.backends.mysql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse(url):
    """The Django database settings (a dict: ENGINE, NAME, USER, PASSWORD, HOST, PORT, OPTIONS) for `url`.

    Raises ValueError naming DATABASE_URL for a scheme Django has no backend for here.
    """
    parts = urlsplit(url)
    engine = ENGINES.get(parts.scheme)
    if engine is None:
        known = ", ".join(sorted(ENGINES))
        raise ValueError(f"DATABASE_URL: scheme {parts.scheme!r} is not one of {known}")
    if parts.scheme == "sqlite":
        # sqlite:///relative/path, sqlite:////absolute/path, sqlite:// for an in-memory database.
        path = unquote(parts.path[1:]) if parts.path else ""
        return {"ENGINE": engine, "NAME": path or ":memory:"}
    return {
        "ENGINE": engine,
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
    }
