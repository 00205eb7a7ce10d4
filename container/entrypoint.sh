#!/bin/sh
# Entry point of the generator image: runs `yo wsgi-apache "$@"` in the working directory
# (the mounted project, `-v "$PWD:/src" -w /src`), never as root, so that every file it
# writes belongs to the host user.
#
# - Started as root (the default): adopts the uid/gid that own the working directory, i.e.
#   the host user who owns the project, then drops privileges with setpriv. No user entry
#   is needed for that uid.
# - Started with `--user uid:gid`: runs as that user.
# - A directory owned by root (rootless Docker or Docker Desktop remap ownership; or a
#   genuinely root-owned folder): runs as the image's unprivileged user `generator`, and
#   says so; pass `--user` to choose another.
set -eu

if [ "$(id -u)" -ne 0 ]; then
  # `--user` with no passwd entry leaves HOME=/ (not writable); yo keeps its config there.
  if [ ! -w "${HOME:-/}" ]; then HOME=$(mktemp -d); export HOME; fi
  exec yo wsgi-apache "$@"
fi

uid=$(stat -c %u .)
gid=$(stat -c %g .)
if [ "$uid" -eq 0 ]; then
  uid=$(id -u generator)
  gid=$(id -g generator)
  echo "wsgi-apache-generator: $(pwd) belongs to root; running as the unprivileged user $uid:$gid (pass --user uid:gid to choose)" >&2
fi

home=$(mktemp -d /tmp/home.XXXXXX)
chown "$uid:$gid" "$home"
if ! setpriv --reuid="$uid" --regid="$gid" --clear-groups test -w .; then
  echo "wsgi-apache-generator: uid $uid cannot write to $(pwd); run with --user \$(id -u):\$(id -g) or make the directory writable" >&2
  exit 1
fi
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups env HOME="$home" yo wsgi-apache "$@"
