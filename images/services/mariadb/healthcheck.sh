#!/bin/sh
# The official image's healthcheck.sh, for the checks compose.yaml asks (--connect,
# --innodb_initialized): healthy once the server answers over TCP, which the final server does
# only after InnoDB has started. Not the socket: docker-entrypoint.sh's first server, which
# creates the database and user, answers there with --skip-networking, and an app started on
# "healthy" then could not connect (measured: ERROR 2002 on 127.0.0.1 under load).
# `ping` exits 0 for a server that answers, even one that refuses the login.
exec mariadb-admin --protocol=tcp --host=127.0.0.1 --port=3306 --connect-timeout=2 ping >/dev/null
