# generator-wsgi-apache in a container: run the generator with no Node on the host.
#
#   docker build -t wsgi-apache-generator .
#   cd path/to/your/python/project
#   docker run --rm -it -v "$PWD:/src" -w /src wsgi-apache-generator                  # asks
#   docker run --rm -v "$PWD:/src" -w /src wsgi-apache-generator --yes --skip-build   # flags only
#   docker run --rm wsgi-apache-generator --help                                      # every flag
#
# BuildKit builds it (the default builder since Docker 23; DOCKER_BUILDKIT=1 before that).
# Behind a TLS-intercepting proxy, give npm the CA bundle that trusts it (a BuildKit secret,
# so it stays out of the image):
#   docker build --secret id=ca-certificates,src=/etc/ssl/certs/ca-certificates.crt -t wsgi-apache-generator .
#
# Files are written as the host user: the entry point (container/entrypoint.sh) takes the
# uid/gid that own the mounted working directory and drops root with setpriv, or runs as
# `--user uid:gid` when given. yo itself never runs as root.
#
# Which Node. There is no `node` image here (no Docker Hub), so the base is
# debian:trixie-slim, the base of the images the generator writes (already local, see
# images/build-offline-base.sh). Debian trixie's own `nodejs` is 20.19: new enough for this
# package's engines (^20.17.0 || >=22.9.0), but Node 20 is past its end of life (April 2026)
# and yo's current dependency tree no longer supports it (@inquirer/prompts 8.8, under yo's
# @yeoman/adapter, declares node ^22.22.2 || ^24.15.0; Debian's npm 9 installs it anyway, and
# yo's prompts would then run on a Node they do not support). So the image runs Node 24 LTS
# from the npm registry's `node` package, which ships the official binary (the same way
# .ci/node-matrix.sh gets Node 22 and 24). Debian's nodejs and npm serve only to bootstrap
# that install in the `toolchain` stage; the final image has the official binary alone.
# Another line: --build-arg NODE_VERSION=22.
#
# Stages: `toolchain` installs Node and npm from the registry; `build` builds the TypeScript
# and packs the npm package exactly as it is published (`npm pack`); `install` installs that
# tarball together with `yo`, as a user's `npm install -g` would; the final image is the base
# plus the node binary and the installed tree (no npm, no compilers, no sources).
ARG BASE=debian:trixie-slim

FROM ${BASE} AS toolchain
ARG NODE_VERSION=24
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=secret,id=ca-certificates \
    if [ -f /run/secrets/ca-certificates ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-certificates; fi \
 && npm install -g --prefix /opt/node --no-audit --no-fund "node@${NODE_VERSION}" npm@11 \
 && install -m 0755 "$(readlink -f /opt/node/bin/node)" /usr/local/bin/node-official \
 && rm -rf /root/.npm
ENV PATH=/opt/node/bin:$PATH
RUN node --version && npm --version

FROM toolchain AS build
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build is the next step.
RUN --mount=type=secret,id=ca-certificates \
    if [ -f /run/secrets/ca-certificates ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-certificates; fi \
 && npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md LICENSE USAGE ./
COPY generators generators
COPY templates templates
COPY images images
COPY runtime runtime
RUN npm run build \
 && npm pack --ignore-scripts \
 && mv generator-wsgi-apache-*.tgz /generator-wsgi-apache.tgz

FROM toolchain AS install
# `yo` as users get it today; pin with --build-arg YO_VERSION=7.0.1 for a reproducible image.
ARG YO_VERSION=latest
COPY --from=build /generator-wsgi-apache.tgz /tmp/generator-wsgi-apache.tgz
# npm's cache on a cache mount, used before the registry (--prefer-offline): a rebuild for a
# changed package takes the dependencies it already has (60 -> 24 s for yo and this package here).
RUN --mount=type=secret,id=ca-certificates --mount=type=cache,target=/root/.npm,sharing=locked \
    if [ -f /run/secrets/ca-certificates ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca-certificates; fi \
 && npm install -g --prefix /opt/wsgi-apache-generator --no-audit --no-fund --prefer-offline \
      "yo@${YO_VERSION}" /tmp/generator-wsgi-apache.tgz

FROM ${BASE}
# /src is the generator user's, so that runs without a mount (`--help`) work as that user.
RUN useradd --system --uid 999 --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin generator \
 && install -d -o generator -g generator /src
COPY --from=toolchain /usr/local/bin/node-official /usr/local/bin/node
COPY --from=install /opt/wsgi-apache-generator /opt/wsgi-apache-generator
COPY container/entrypoint.sh /usr/local/bin/wsgi-apache-generator
ENV PATH=/opt/wsgi-apache-generator/bin:$PATH \
    NO_UPDATE_NOTIFIER=1
RUN node --version && yo --version
# The container starts as root only to adopt the project owner's uid (see above); the
# generator runs unprivileged, as that uid or as `generator`.
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/wsgi-apache-generator"]
