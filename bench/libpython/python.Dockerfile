# A CPython installed in /usr/local with its shared libpython (the official python image,
# or the `python-build` stage of a generated `--python-build optimized` project), and
# `embed` linked against that library: loop.py embedded, as mod_wsgi runs it, or run by the
# build's own python3. Run: npm run bench:libpython
ARG BASE_IMAGE=python:3.13-slim-trixie
FROM ${BASE_IMAGE}
RUN if ! command -v gcc >/dev/null; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libc6-dev \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY embed.c loop.py /bench/
RUN gcc -O2 -o /bench/embed /bench/embed.c $(python3-config --includes) $(python3-config --ldflags --embed) \
 && ldd /bench/embed | grep libpython
