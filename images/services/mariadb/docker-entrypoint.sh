#!/bin/sh
# The official mariadb image's first start, for the variables compose.yaml uses: an empty
# /var/lib/mysql gets the system tables, then MARIADB_DATABASE and MARIADB_USER (from any host,
# with MARIADB_PASSWORD or MARIADB_PASSWORD_FILE) granted all on it. Runs as the mysql user.
set -eu
if [ "$(id -u)" = 0 ]; then
  chown mysql:mysql /var/lib/mysql /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups -- /bin/sh "$0" "$@"
fi
if [ -n "${MARIADB_PASSWORD_FILE:-}" ]; then
  MARIADB_PASSWORD=$(cat "$MARIADB_PASSWORD_FILE")
fi
socket=/run/mysqld/mysqld.sock
if [ ! -d /var/lib/mysql/mysql ]; then
  mariadb-install-db --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=socket --auth-root-socket-user=mysql >/dev/null
  mariadbd --datadir=/var/lib/mysql --skip-networking --socket="$socket" &
  server=$!
  for _ in $(seq 1 60); do
    mariadb-admin --socket="$socket" ping >/dev/null 2>&1 && break
    sleep 1
  done
  if [ -n "${MARIADB_DATABASE:-}" ]; then
    echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;" | mariadb --socket="$socket"
  fi
  if [ -n "${MARIADB_USER:-}" ]; then
    : "${MARIADB_PASSWORD:?set MARIADB_PASSWORD or MARIADB_PASSWORD_FILE with MARIADB_USER}"
    printf "CREATE USER '%s'@'%%' IDENTIFIED BY '%s';\n" "$MARIADB_USER" "$MARIADB_PASSWORD" | mariadb --socket="$socket"
    if [ -n "${MARIADB_DATABASE:-}" ]; then
      printf "GRANT ALL ON \`%s\`.* TO '%s'@'%%';\n" "$MARIADB_DATABASE" "$MARIADB_USER" | mariadb --socket="$socket"
    fi
  fi
  mariadb-admin --socket="$socket" shutdown
  wait "$server" || true
  echo "[mariadb stand-in] initialised /var/lib/mysql: database ${MARIADB_DATABASE:-}, user ${MARIADB_USER:-}"
fi
exec "$@"
