"""The image's HEALTHCHECK: healthy when Apache answers through the daemon below a 500.

Managed by generator-wsgi-apache: `yo wsgi-apache` updates it, merging edits of yours. Your own
settings go in the environment (compose.yaml, .env), Apache directives in docker/apache/*.conf.

Copied as it is by generator-wsgi-apache to docker/healthcheck.py, and by the image to a
root-owned place outside the project. The Dockerfile's HEALTHCHECK runs it as
``healthcheck.py PORT USER_AGENT``: the port Apache listens on in the container, and the
User-Agent the development tools leave out of profiles and recordings. HEALTHCHECK_PATH
(default "/") is the path requested; any status below 500 is healthy, since a 404 still proves
Apache and the app's process are up. On a 5xx it also prints docker/write-watch.py's lines:
a write the read-only project refused is the usual cause.
"""

import os
import sys
import urllib.error
import urllib.request


def probe(port, user_agent, path):
    """The HTTP status of GET `path` on 127.0.0.1:`port`, as Host localhost.

    Raises OSError when nothing answers within 3 s.
    """
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost", "User-Agent": user_agent}
    )
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def write_hints(run_dir):
    """docker/write-watch.py's lines of this container run, or '' when it wrote none."""
    try:
        with open(os.path.join(run_dir, "write-hints")) as hints:
            return hints.read()
    except OSError:
        return ""


def main(argv, environ):
    """Prints one line (and the write hints on a 5xx); returns the exit status Docker reads: 0 healthy, 1 not."""
    port, user_agent = argv[1], argv[2]
    path = environ.get("HEALTHCHECK_PATH", "/")
    try:
        status = probe(port, user_agent, path)
    except Exception as error:  # connection refused, timeout: unhealthy
        print(f"healthcheck: {path}: {error}", file=sys.stderr)
        return 1
    print(f"healthcheck: {path}: HTTP {status}")
    if status >= 500:
        print(write_hints(environ.get("APACHE_RUN_DIR", "/tmp/apache2")), end="")
    return 0 if status < 500 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv, os.environ))
