# The load generator: Debian's wrk. Run with --network host (published ports, through
# docker-proxy) or --network container:<server> (the server alone, on its loopback).
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk \
 && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["wrk"]
