"""Lays out the corpus apps as users' projects: DEST/<app id>/ is one project tree each.

Runs once, inside the corpus sources image build (test/corpus/Dockerfile), as root:

    python3 assemble.py DEST SOURCE_PACKAGES_DIR

The trees are copied from what the Debian packages installed, untouched, except for the
Django site: created with django-admin as its tutorial tells a user to, plus the only lines
we write (one model, its admin registration, the app in INSTALLED_APPS) and the migration
`makemigrations` writes for them. Any surprise (a file missing, a tree that dh_compress
changed) stops the build, so a tree that is built is the tree the metadata describes.
"""

import shutil
import subprocess
import sys
from pathlib import Path

DOC = Path("/usr/share/doc")


def django_polls(dest: Path, _sources: Path) -> None:
    """Django 4.2's tutorial site (mysite + polls), as python-django-doc's intro/tutorial01-02 lay it out."""
    dest.mkdir()
    subprocess.run(["django-admin", "startproject", "mysite", str(dest)], check=True)
    subprocess.run([sys.executable, "manage.py", "startapp", "polls"], cwd=dest, check=True)
    # Tutorial part 2 ("Creating models"), the Question model alone.
    (dest / "polls" / "models.py").write_text(
        "from django.db import models\n"
        "\n"
        "\n"
        "class Question(models.Model):\n"
        "    question_text = models.CharField(max_length=200)\n"
        '    pub_date = models.DateTimeField("date published")\n'
    )
    # Tutorial part 2 ("Make the poll app modifiable in the admin").
    (dest / "polls" / "admin.py").write_text(
        "from django.contrib import admin\n"
        "\n"
        "from .models import Question\n"
        "\n"
        "admin.site.register(Question)\n"
    )
    # Tutorial part 2 ("Activating models"): the app's config class first in INSTALLED_APPS,
    # in the quotes startproject used for the other entries.
    settings = dest / "mysite" / "settings.py"
    text = settings.read_text()
    marker = "INSTALLED_APPS = [\n"
    if text.count(marker) != 1:
        raise SystemExit(f"{settings}: expected one {marker!r}")
    quote = "'" if "'django.contrib.admin'" in text else '"'
    settings.write_text(text.replace(marker, f"{marker}    {quote}polls.apps.PollsConfig{quote},\n"))
    subprocess.run([sys.executable, "manage.py", "makemigrations", "polls"], cwd=dest, check=True)
    if not (dest / "polls" / "migrations" / "0001_initial.py").is_file():
        raise SystemExit("makemigrations wrote no polls/migrations/0001_initial.py")
    # makemigrations opens the default database to check the migration history, and SQLite
    # creates db.sqlite3 doing so. An empty database is no source: a checkout has none.
    database = dest / "db.sqlite3"
    if database.exists():
        if database.stat().st_size != 0:
            raise SystemExit(f"{database} is not the empty file makemigrations leaves")
        database.unlink()


def flaskr(dest: Path, _sources: Path) -> None:
    """Flask's tutorial app: python3-flask installs upstream's examples/tutorial/* as its examples."""
    shutil.copytree(DOC / "python3-flask" / "examples", dest, symlinks=True)


def single_file(package: str, name: str):
    """A one-module example app from a package's examples directory, as the project's only file."""

    def build(dest: Path, _sources: Path) -> None:
        dest.mkdir()
        shutil.copy2(DOC / package / "examples" / name, dest / name)

    return build


def radicale(dest: Path, sources: Path) -> None:
    """Radicale's upstream tree: the orig tarball that `apt-get source radicale` fetched (a GitHub
    archive with one top directory, stripped). The Debian patches are not applied."""
    tarballs = sorted(sources.glob("radicale_*.orig.tar.*"))
    if len(tarballs) != 1:
        raise SystemExit(f"expected one radicale orig tarball in {sources}, found {tarballs}")
    dest.mkdir()
    # GNU tar as root keeps the archive's modes; --no-same-owner makes the files root's.
    subprocess.run(
        ["tar", "-xf", str(tarballs[0]), "--strip-components=1", "--no-same-owner", "-C", str(dest)],
        check=True,
    )


APPS = {
    "django-polls": django_polls,
    "flaskr": flaskr,
    "flask-restful-todo": single_file("python-flask-restful-doc", "todo.py"),
    "flask-httpauth-basic": single_file("python-flask-httpauth-doc", "basic_auth.py"),
    "werkzeug-upload": single_file("python-werkzeug-doc", "upload.py"),
    "radicale": radicale,
}

# Files each tree must have: what the metadata's entry and requests rely on.
REQUIRED = {
    "django-polls": ["manage.py", "mysite/settings.py", "mysite/wsgi.py", "polls/admin.py", "polls/migrations/0001_initial.py"],
    "flaskr": ["pyproject.toml", "flaskr/__init__.py", "flaskr/schema.sql", "flaskr/templates/base.html", "tests/conftest.py"],
    "flask-restful-todo": ["todo.py"],
    "flask-httpauth-basic": ["basic_auth.py"],
    "werkzeug-upload": ["upload.py"],
    "radicale": ["pyproject.toml", "radicale.wsgi", "config", "radicale/__init__.py", "radicale/web/internal_data/index.html"],
}


def check(app_id: str, tree: Path) -> None:
    """Stops the build when a tree is not what the metadata describes."""
    missing = [path for path in REQUIRED[app_id] if not (tree / path).is_file()]
    if missing:
        raise SystemExit(f"{app_id}: missing {missing}")
    # dh_compress gzips doc files over 4 kB; an example whose code arrived as .gz would not run.
    compressed = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.gz"))
    if compressed:
        raise SystemExit(f"{app_id}: compressed files {compressed}")
    caches = sorted(str(p.relative_to(tree)) for p in tree.rglob("__pycache__"))
    if caches:
        raise SystemExit(f"{app_id}: byte-code caches {caches} (run with PYTHONDONTWRITEBYTECODE=1)")


def main() -> None:
    dest, sources = Path(sys.argv[1]), Path(sys.argv[2])
    dest.mkdir(parents=True)
    for app_id, build in APPS.items():
        tree = dest / app_id
        build(tree, sources)
        check(app_id, tree)
        # A checkout's top directory is 0755 (django-admin's target directory was made by mkdir).
        tree.chmod(0o755)
        print(f"corpus: {app_id}: {sum(1 for p in tree.rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    main()
