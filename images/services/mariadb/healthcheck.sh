#!/bin/sh
# The official image's healthcheck.sh, for the checks compose.yaml asks (--connect,
# --innodb_initialized): healthy once the server answers on its socket, which it does only
# after InnoDB has started.
exec mariadb-admin --socket=/run/mysqld/mysqld.sock ping >/dev/null
