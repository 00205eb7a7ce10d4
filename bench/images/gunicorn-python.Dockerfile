# gunicorn as pip users run it, on the official python image the generated default builds
# on: gunicorn and the app's requirements pip-installed into a virtualenv in a build stage,
# so pip's inputs stay out of the image. The command (gthread or sync workers) is given at
# `docker run`.
#
# Build context: app/ (the app), requirements.txt (its libraries, may be empty) and
# wheelhouse/ (empty, or wheels). With an index nothing more is needed; without one, as the
# generated Dockerfile: --build-arg PIP_NO_INDEX=1 --build-arg PIP_FIND_LINKS=/tmp/wheelhouse.
ARG BASE_IMAGE=python:3.13-slim-trixie
FROM ${BASE_IMAGE} AS venv
ARG PIP_INDEX_URL=
ARG PIP_FIND_LINKS=
ARG PIP_NO_INDEX=
ARG GUNICORN=gunicorn
COPY wheelhouse/ /tmp/wheelhouse/
COPY requirements.txt /tmp/requirements.txt
RUN set -eu; \
    [ -n "${PIP_INDEX_URL}" ] || unset PIP_INDEX_URL; \
    [ -n "${PIP_FIND_LINKS}" ] || unset PIP_FIND_LINKS; \
    [ -n "${PIP_NO_INDEX}" ] || unset PIP_NO_INDEX; \
    python3 -m venv /opt/venv; \
    /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check "${GUNICORN}" -r /tmp/requirements.txt

FROM ${BASE_IMAGE}
COPY --from=venv /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /srv/app --shell /usr/sbin/nologin app
WORKDIR /srv/app
COPY app/ /srv/app/
# The Flask fixture creates its instance/ folder at start; the app user must own it.
RUN install -d -o app -g app /srv/app/instance
USER 10001
EXPOSE 8000
