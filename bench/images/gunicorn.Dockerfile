# The alternative a `docker init` user on Debian would run: Debian's gunicorn on Debian's
# statically linked Python 3.13. The command (gthread or sync workers) is given at `docker run`.
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
ARG APT_PACKAGES=
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gunicorn ${APT_PACKAGES} \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /srv/app --shell /usr/sbin/nologin app
WORKDIR /srv/app
COPY . /srv/app
# The Flask fixture creates its instance/ folder at start; the app user must own it.
RUN install -d -o app -g app /srv/app/instance
USER 10001
EXPOSE 8000
