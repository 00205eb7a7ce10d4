#!/usr/bin/env bash
# Builds a wheelhouse for CPython 3.13 from Debian trixie's packages, for machines that reach
# Debian's archive but not PyPI: afterwards
#   pip install --no-index --find-links DIR flask django flask-restful flask-httpauth gunicorn coverage
#   pip install --no-index --find-links DIR mod_wsgi==5.0.2     (needs apache2-dev and gcc)
# work with no package index, in python:3.13-slim-trixie (or Debian's python3.13, same ABI).
#
# DIR holds
# - mod_wsgi-<version>.tar.gz: an sdist made from trixie's mod-wsgi source package (its orig
#   tarball is upstream's GitHub tag archive; repacked under the sdist name, with a PKG-INFO);
# - wheels of Flask, Django, Flask-RESTful, Flask-HTTPAuth, gunicorn, coverage.py (the
#   generated image's WSGI_COVERAGE, with its C tracer), their run-time
#   dependencies, and setuptools, wheel (and wheel's packaging) for pip's isolated build of
#   mod_wsgi, each built by `pip wheel --no-build-isolation` from the orig tarball of trixie's
#   source package with Debian's build backends (upstream code, Debian's patches not applied).
#   Where the mirror lacks an orig tarball (some mirrors hold the binary packages but not every
#   source file), the pure-Python files of Debian's binary package are packed as the wheel;
# - psycopg2-<version>.tar.gz: trixie's psycopg2 source as the sdist it is (PyPI has no Linux
#   wheels of it either), which the generated Dockerfile builds against libpq-dev;
# - wheels of the libraries of the corpus's services project (celery, redis), Radicale and Trac;
# - debian-sources.txt: which source or binary package and version each file came from.
# The build runs in a debian:trixie-slim container (images/wheelhouse/Dockerfile); the result
# is checked in throw-away containers of python:3.13-slim-trixie before it is moved into place.
# It is done once per machine: a complete DIR (its .complete checksums match, made by this
# recipe: .recipe holds the hash of this script and the Dockerfile) is kept as is.
#
# Usage: images/build-wheelhouse.sh        (FORCE=1 rebuilds a complete DIR)
#        images/build-wheelhouse.sh --builder-only   (the build environment's image alone)
#        WHEELHOUSE_CHECK_AFTER=PID images/build-wheelhouse.sh   (the check waits for process
#          PID to end: .ci/setup-docker.sh builds the stand-in it checks against meanwhile)
#        WSGI_APACHE_WHEELHOUSE=/some/dir images/build-wheelhouse.sh
#        DEBIAN_MIRROR=http://mirror.example/debian images/build-wheelhouse.sh
# Default DIR: $HOME/.cache/generator-wsgi-apache/wheelhouse-py3.13
# Needs: a Docker engine; debian:trixie-slim (images/build-offline-base.sh trixie); for the
# check python:3.13-slim-trixie (images/build-python-slim.sh), else Debian's python3.13 stands in.
set -euo pipefail
cd "$(dirname "$0")"

out=${WSGI_APACHE_WHEELHOUSE:-$HOME/.cache/generator-wsgi-apache/wheelhouse-py3.13}
out=${out%/}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
builder=generator-wsgi-apache-wheelhouse-builder
check_image=python:3.13-slim-trixie
# Debian binary packages whose source packages are built; apt-get source maps each to its
# source package. The run-time dependency closure is checked after the build. setuptools and
# wheel are there for pip's isolated build of mod_wsgi: built from source, since the wheel in
# Debian's python3-setuptools-whl carries Debian's install-layout patch, which fails outside
# Debian's Python ("AttributeError: install_layout" in python:3.13-slim).
packages=(
  python3-flask python3-werkzeug python3-jinja2 python3-markupsafe python3-itsdangerous
  python3-click python3-blinker
  python3-django python3-asgiref python3-sqlparse
  python3-flask-restful python3-aniso8601 python3-tz python3-six
  python3-flask-httpauth
  python3-gunicorn python3-packaging
  python3-coverage
  python3-setuptools python3-wheel
  # The corpus's services project (Django on PostgreSQL, a Redis cache, a Celery worker), Radicale and Trac.
  python3-redis
  python3-celery python3-kombu python3-billiard python3-vine python3-amqp
  python3-click-didyoumean python3-click-repl python3-click-plugins python3-prompt-toolkit python3-wcwidth
  python3-dateutil
  python3-radicale python3-defusedxml python3-passlib python3-vobject python3-pika
  python3-requests python3-charset-normalizer python3-idna python3-urllib3 python3-certifi
  trac python3-multipart
)
# Binary packages whose source goes in as an sdist, as PyPI has it for Linux (no wheels there):
# pip builds it in the image, which is what the generated Dockerfile's native build is for.
# As binary package:distribution name.
sdists=(python3-psycopg2:psycopg2)
top_level=(flask django flask-restful flask-httpauth gunicorn coverage celery redis radicale trac)
imports='flask, django, flask_restful, flask_httpauth, gunicorn, coverage, coverage.tracer, celery, redis, radicale, trac.web.main, tzdata'

show() {
  echo "[wheelhouse] $1" >&2
  (cd "$1" && find . -maxdepth 1 -type f ! -name '.*' -printf '%f\t%s\n' | sort |
    awk -F'\t' '{ printf "  %-60s %9d\n", $1, $2 }')
}

recipe=$(cat build-wheelhouse.sh wheelhouse/Dockerfile | sha256sum | cut -d' ' -f1)
if [ "${FORCE:-0}" != 1 ] && [ -f "$out/.complete" ] && [ "$(cat "$out/.recipe" 2>/dev/null)" = "$recipe" ] &&
  (cd "$out" && sha256sum --quiet --status -c .complete); then
  echo "[wheelhouse] already complete" >&2
  [ "${1:-}" = --builder-only ] || show "$out"
  exit 0
fi

start=$(date +%s)
partial="$out.partial"
cid=
cleanup() {
  [ -z "$cid" ] || docker rm -f "$cid" >/dev/null 2>&1 || true
  rm -rf "$partial"
}
trap cleanup EXIT
rm -rf "$partial"
mkdir -p "$partial"

echo "[wheelhouse] build environment $builder (images/wheelhouse/Dockerfile)" >&2
docker build -q --build-arg DEBIAN_MIRROR="$mirror" -t "$builder" wheelhouse >/dev/null
[ "${1:-}" != --builder-only ] || exit 0

# The build, inside the container: sources into /src, results into /wheelhouse.
IFS= read -r -d '' build_script <<'BUILD' || true
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
apt-get update -qq
mkdir -p /wheelhouse /src
manifest=/wheelhouse/debian-sources.txt
: >"$manifest"

# Downloads the source package of binary package $1 into the current directory and prints
# the path of its orig tarball, or nothing when the mirror lacks it (apt.log then says why).
# apt checks each file against the Sources index as it comes; a file the mirror lacks (the
# .dsc at times) fails the command but keeps the files that did arrive.
fetch_orig() {
  apt-get source --download-only "$1" >apt.log 2>&1 || true
  local f
  for f in ./*.orig.tar.*; do
    case $f in *.asc) ;; *) [ ! -f "$f" ] || echo "$f" ;; esac
  done
}

# Unpacks tarball $1 into directory $2 and prints the project's top directory.
unpack() {
  mkdir -p "$2"
  tar -xf "$1" -C "$2"
  local entries=("$2"/*)
  if [ "${#entries[@]}" -eq 1 ] && [ -d "${entries[0]}" ]; then echo "${entries[0]}"; else echo "$2"; fi
}

# Records in the manifest the files that appeared in /wheelhouse since listing $1, with
# their origin $2; fails when none did.
record() {
  local new f
  new=$(comm -13 <(echo "$1") <(ls /wheelhouse))
  [ -n "$new" ] || { echo "[wheelhouse] $2: no new file in /wheelhouse" >&2; return 1; }
  for f in $new; do printf '%s\t%s\n' "$f" "$2" >>"$manifest"; done
}

# mod_wsgi: the orig tarball is upstream's tag archive, mod_wsgi-<version>/ with setup.py and
# no pyproject.toml, like upstream's own mod_wsgi sdist (its release script adds the
# pyproject.toml only for mod_wsgi-standalone, which setup.py then builds instead). Repacked
# under the sdist name with a PKG-INFO; pip builds it with setuptools (and wheel) from DIR.
mkdir -p /src/mod-wsgi && cd /src/mod-wsgi
orig=$(fetch_orig mod-wsgi)
[ -n "$orig" ] || { cat apt.log >&2; echo "[wheelhouse] mod-wsgi: no orig tarball" >&2; exit 1; }
version=${orig##*_}; version=${version%.orig.tar.*}; version=${version%%[+~]*}
top=$(unpack "$orig" tree)
grep -q "MOD_WSGI_VERSION_STRING \"$version\"" "$top/src/server/wsgi_version.h" || {
  echo "[wheelhouse] mod_wsgi: $orig is not version $version:" >&2
  grep VERSION_STRING "$top/src/server/wsgi_version.h" >&2
  exit 1
}
[ ! -e "$top/pyproject.toml" ] || { echo "[wheelhouse] mod_wsgi: pyproject.toml would make it mod_wsgi-standalone" >&2; exit 1; }
mkdir sdist
mv "$top" "sdist/mod_wsgi-$version"
printf 'Metadata-Version: 2.1\nName: mod_wsgi\nVersion: %s\nSummary: %s\nHome-page: %s\nLicense: %s\nRequires-Python: >=3.8\n' \
  "$version" 'Installer for Apache/mod_wsgi.' 'https://www.modwsgi.org/' 'Apache License, Version 2.0' \
  >"sdist/mod_wsgi-$version/PKG-INFO"
touch -r "sdist/mod_wsgi-$version/setup.py" "sdist/mod_wsgi-$version/PKG-INFO"
before=$(ls /wheelhouse)
tar -C sdist --sort=name --owner=0 --group=0 --numeric-owner -c "mod_wsgi-$version" |
  gzip -9n >"/wheelhouse/mod_wsgi-$version.tar.gz"
record "$before" "source mod-wsgi $(apt-cache showsrc --only-source mod-wsgi | awk '/^Version:/ { print $2 }' | sort -V | tail -1): ${orig#./}"

# The candidate's version of binary package $1, its source package and that one's version
# ("Source: name" is absent when named alike, "(version)" after the name when a binNMU made them differ).
origin() {
  apt-cache show --no-all-versions "$1" | awk -v pkg="$1" '
    /^Version:/ { v = $2 } /^Source:/ { s = $2; sv = $3; gsub(/[()]/, "", sv) }
    END { print v, (s != "" ? s : pkg), (sv != "" ? sv : v) }'
}

# Upstream's version in Debian version $1: no epoch, revision or repack suffix (2:1.2+dfsg-3 is 1.2).
upstream_version() {
  local v=${1#*:}
  v=${v%-*}
  echo "${v%%[+~]*}"
}

for item in $SDISTS; do
  pkg=${item%%:*} name=${item#*:}
  mkdir -p "/src/$pkg" && cd "/src/$pkg"
  read -r debver src srcver < <(origin "$pkg")
  orig=$(fetch_orig "$pkg")
  [ -n "$orig" ] || { cat apt.log >&2; echo "[wheelhouse] $pkg: no orig tarball of $src" >&2; exit 1; }
  top=$(unpack "$orig" tree)
  version=$(upstream_version "$srcver")
  # A tag archive (no PKG-INFO) is an sdist once it has one, as mod_wsgi's above.
  [ -f "$top/PKG-INFO" ] ||
    printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' "$name" "$version" >"$top/PKG-INFO"
  mkdir sdist
  mv "$top" "sdist/$name-$version"
  before=$(ls /wheelhouse)
  tar -C sdist --sort=name --owner=0 --group=0 --numeric-owner -c "$name-$version" | gzip -9n >"/wheelhouse/$name-$version.tar.gz"
  record "$before" "source $src $srcver: ${orig#./} (as an sdist)"
done

for pkg in $PACKAGES; do
  mkdir -p "/src/$pkg" && cd "/src/$pkg"
  read -r debver src srcver < <(origin "$pkg")
  orig=$(fetch_orig "$pkg")
  before=$(ls /wheelhouse)
  # A tag archive has no PKG-INFO and no Git history for setuptools-scm or hatch-vcs to read.
  export SETUPTOOLS_SCM_PRETEND_VERSION
  SETUPTOOLS_SCM_PRETEND_VERSION=$(upstream_version "$srcver")
  if [ -n "$orig" ]; then
    top=$(unpack "$orig" tree)
    case $pkg in
      python3-tz)
        # pytz's repository layout: the package is in src/, its zoneinfo is compiled from the
        # IANA sources in tz/ by upstream's Makefile (as for upstream's own wheels).
        make -C "$top" PYTHON=python3 build >make.log 2>&1 || { tail -30 make.log >&2; exit 1; }
        top=$top/build/dist ;;
    esac
    echo "[wheelhouse] $pkg: pip wheel ${orig#./}" >&2
    python3 -m pip wheel --no-deps --no-build-isolation --no-index -q -w /wheelhouse "$top" >pip.log 2>&1 || {
      cat pip.log >&2
      echo "[wheelhouse] $pkg: pip wheel failed" >&2
      exit 1
    }
    record "$before" "source $src $srcver: ${orig#./}"
  else
    # No orig tarball on the mirror: the files of Debian's binary package packed as a wheel,
    # RECORD written anew. Pure Python with pybuild's dist-info as it is; a setup.py build's
    # egg-info becomes a dist-info (its PKG-INFO is the METADATA). A package with extension
    # modules (python3-coverage's C tracer) is tagged for CPython 3.13 on this architecture,
    # the only Python Debian built them for. Symlinks into /usr/share are followed.
    grep -E '^E: .*orig' apt.log >&2 || cat apt.log >&2
    echo "[wheelhouse] $pkg: no orig tarball of $src on the mirror; packing Debian's binary package" >&2
    apt-get download "$pkg" >apt.log 2>&1 || { cat apt.log >&2; exit 1; }
    dpkg-deb -x ./*.deb root
    mkdir flat
    cp -rL root/usr/lib/python3/dist-packages/. flat/
    site=flat
    for egg in "$site"/*.egg-info; do
      [ -d "$egg" ] || continue
      info="${egg%.egg-info}.dist-info"
      mkdir "$info"
      cp "$egg/PKG-INFO" "$info/METADATA"
      for f in entry_points.txt top_level.txt; do [ ! -f "$egg/$f" ] || cp "$egg/$f" "$info/$f"; done
      rm -rf "$egg"
    done
    distinfo=("$site"/*.dist-info)
    if [ "${#distinfo[@]}" -ne 1 ] || [ ! -d "${distinfo[0]}" ]; then
      echo "[wheelhouse] $pkg: not a package with one dist-info or egg-info; cannot pack it" >&2
      exit 1
    fi
    if [ -n "$(find "$site" -name '*.so')" ]; then
      [ -z "$(find "$site" -name '*.so' ! -name '*.cpython-313-*')" ] ||
        { echo "[wheelhouse] $pkg: extension modules not for CPython 3.13; cannot pack it" >&2; exit 1; }
      printf 'Wheel-Version: 1.0\nGenerator: build-wheelhouse.sh\nRoot-Is-Purelib: false\nTag: cp313-cp313-linux_%s\n' \
        "$(uname -m)" >"${distinfo[0]}/WHEEL"
    elif [ ! -f "${distinfo[0]}/WHEEL" ]; then
      printf 'Wheel-Version: 1.0\nGenerator: build-wheelhouse.sh\nRoot-Is-Purelib: true\nTag: py3-none-any\n' >"${distinfo[0]}/WHEEL"
    elif ! grep -qx 'Root-Is-Purelib: true' "${distinfo[0]}/WHEEL"; then
      echo "[wheelhouse] $pkg: its WHEEL is not pure and it has no extension modules; cannot pack it" >&2
      exit 1
    fi
    rm -f "${distinfo[0]}"/{INSTALLER,RECORD,REQUESTED,direct_url.json}
    python3 -m wheel pack --dest-dir /wheelhouse "$site" >pack.log 2>&1 || { cat pack.log >&2; exit 1; }
    deb=$(ls ./*.deb)
    record "$before" "binary $pkg $debver (orig tarball of $src $srcver missing on the mirror): ${deb#./}"
  fi
done

# tzdata, PyPI's IANA time zone package, which kombu requires: Debian has no python3-tzdata
# (its Python reads the system's zoneinfo). Debian's tzdata package's compiled zones, laid out
# as PyPI's wheel has them: a package per directory (importlib.resources reads them so), the
# zone list in tzdata/zones, IANA_VERSION, and the version PyPI gives release 2025b: 2025.2.
mkdir -p /src/tzdata && cd /src/tzdata
apt-get download tzdata >apt.log 2>&1 || { cat apt.log >&2; exit 1; }
dpkg-deb -x ./tzdata_*.deb root
debver=$(dpkg-deb -f ./tzdata_*.deb Version)
iana=${debver%%-*}
letter=${iana:4:1}
version="${iana:0:4}.$(( $(printf '%d' "'$letter") - 96 ))"
mkdir -p "flat/tzdata" "flat/tzdata-$version.dist-info"
(cd root/usr/share/zoneinfo && find . -type f -o -type l | grep -Ev '^\./(posix|right)/|^\./(posixrules|localtime|leap-seconds\.list|leapseconds)$' |
  while read -r f; do
    mkdir -p "/src/tzdata/flat/tzdata/zoneinfo/$(dirname "$f")"
    cp -L "$f" "/src/tzdata/flat/tzdata/zoneinfo/$f"
  done)
(cd flat/tzdata/zoneinfo && find . -type f ! -name '*.tab' ! -name '*.zi' | sed 's|^\./||' | sort >../zones)
find flat/tzdata -type d -exec touch {}/__init__.py \;
printf 'IANA_VERSION = "%s"\n__version__ = "%s"\n' "$iana" "$version" >flat/tzdata/__init__.py
printf 'Metadata-Version: 2.1\nName: tzdata\nVersion: %s\nSummary: Provider of IANA time zone data\nLicense: Apache-2.0\n' \
  "$version" >"flat/tzdata-$version.dist-info/METADATA"
printf 'Wheel-Version: 1.0\nGenerator: build-wheelhouse.sh\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\n' \
  >"flat/tzdata-$version.dist-info/WHEEL"
before=$(ls /wheelhouse)
python3 -m wheel pack --dest-dir /wheelhouse flat >pack.log 2>&1 || { cat pack.log >&2; exit 1; }
record "$before" "binary tzdata $debver: its /usr/share/zoneinfo as PyPI's tzdata $version"

# flit_core, the build backend of projects such as Flask's tutorial app (flaskr), which pip's
# isolated build of such a project installs from DIR: the flit source package's flit_core/,
# which builds itself (its pyproject.toml's backend-path).
mkdir -p /src/flit && cd /src/flit
orig=$(fetch_orig flit)
[ -n "$orig" ] || { cat apt.log >&2; echo "[wheelhouse] flit: no orig tarball" >&2; exit 1; }
top=$(unpack "$orig" tree)
before=$(ls /wheelhouse)
python3 -m pip wheel --no-deps --no-build-isolation --no-index -q -w /wheelhouse "$top/flit_core" >pip.log 2>&1 || {
  cat pip.log >&2
  echo "[wheelhouse] flit_core: pip wheel failed" >&2
  exit 1
}
record "$before" "source flit $(apt-cache showsrc --only-source flit | awk '/^Version:/ { print $2 }' | sort -V | tail -1): ${orig#./} (flit_core/)"

# Every run-time requirement (on Linux, CPython 3.13, no extras) of every wheel has a wheel
# here whose version satisfies it.
python3 - <<'PY'
import email, pathlib, sys, zipfile
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

have = {}
for w in pathlib.Path("/wheelhouse").glob("*.whl"):
    name, version, _, _ = parse_wheel_filename(w.name)
    have[name] = (version, w)
bad = []
for name, (version, w) in sorted(have.items()):
    with zipfile.ZipFile(w) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        msg = email.message_from_bytes(z.read(meta))
    for line in msg.get_all("Requires-Dist") or []:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        dep = canonicalize_name(req.name)
        if dep not in have:
            bad.append(f"{name} {version} needs {req}: no wheel (add its Debian package)")
        elif not req.specifier.contains(have[dep][0], prereleases=True):
            bad.append(f"{name} {version} needs {req}: have {dep} {have[dep][0]}")
print("\n".join(bad) or "[wheelhouse] run-time requirements all met", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
BUILD

echo "[wheelhouse] building from trixie's sources: ${packages[*]} mod-wsgi; sdists of ${sdists[*]}" >&2
cid=$(docker create -e PACKAGES="${packages[*]}" -e SDISTS="${sdists[*]}" "$builder" bash -c "$build_script")
docker start -a "$cid"
docker cp "$cid:/wheelhouse/." "$partial"
docker rm "$cid" >/dev/null
cid=
echo "[wheelhouse] built in $(( $(date +%s) - start )) s; checking" >&2

# Runs script $2 in a throw-away container of image $1 with the wheelhouse at /wheelhouse.
check() {
  cid=$(docker create "$1" bash -c "$2")
  docker cp "$partial/." "$cid:/wheelhouse"
  docker start -a "$cid"
  docker rm "$cid" >/dev/null
  cid=
}

if [ -n "${WHEELHOUSE_CHECK_AFTER:-}" ]; then
  echo "[wheelhouse] waiting for process $WHEELHOUSE_CHECK_AFTER (the build of $check_image) to check against it" >&2
  while kill -0 "$WHEELHOUSE_CHECK_AFTER" 2>/dev/null; do sleep 2; done
fi
if docker image inspect "$check_image" >/dev/null 2>&1; then
  python=python3
  headers=
  prepare='set -euo pipefail; export DEBIAN_FRONTEND=noninteractive'
else
  # Debian's python3.13: the same CPython version and ABI as the official image's.
  echo "[wheelhouse] $check_image absent: checking with debian:trixie-slim's python3.13 instead" >&2
  check_image=debian:trixie-slim
  python=python3.13
  headers=python3.13-dev
  prepare='set -euo pipefail; export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3.13 python3.13-venv >/dev/null'
fi
modwsgi=$(cd "$partial" && ls mod_wsgi-*.tar.gz)
modwsgi_version=${modwsgi#mod_wsgi-}; modwsgi_version=${modwsgi_version%.tar.gz}

echo "[wheelhouse] check in $check_image: pip install --no-index ${top_level[*]}" >&2
check "$check_image" "$prepare
  $python -m venv /v
  /v/bin/pip install -q --disable-pip-version-check --no-index --find-links /wheelhouse ${top_level[*]}
  /v/bin/python -c 'import $imports; print(\"imported $imports\")'
  # pytz's zoneinfo (compiled by its Makefile) and MarkupSafe's C speedups made it in.
  /v/bin/python -c 'import pytz, markupsafe._speedups; pytz.timezone(\"Europe/Paris\")'
  # The tzdata wheel serves zoneinfo with no system zones (python:3.13-slim has none either way).
  /v/bin/python -c 'import zoneinfo; zoneinfo.reset_tzpath([]); print(zoneinfo.ZoneInfo(\"Europe/Paris\"))'
  /v/bin/pip list --disable-pip-version-check"

echo "[wheelhouse] check in $check_image: pip install --no-index mod_wsgi==$modwsgi_version" >&2
check "$check_image" "$prepare
  apt-get update -qq && apt-get install -y -qq --no-install-recommends apache2-dev gcc libc6-dev $headers >/dev/null
  $python -m venv /v
  /v/bin/pip install -q --disable-pip-version-check --no-index --find-links /wheelhouse mod_wsgi==$modwsgi_version
  config=\$(/v/bin/mod_wsgi-express module-config)
  echo \"\$config\"
  grep -q '^LoadModule wsgi_module ' <<<\"\$config\"
  # The sdists build as the generated Dockerfile builds them: a compiler and libpq's headers.
  apt-get install -y -qq --no-install-recommends libpq-dev >/dev/null
  /v/bin/pip install -q --disable-pip-version-check --no-index --find-links /wheelhouse psycopg2
  /v/bin/python -c 'import psycopg2; print(\"psycopg2\", psycopg2.__version__)'"

(cd "$partial" && find . -maxdepth 1 -type f ! -name '.*' -printf '%f\0' | sort -z |
  xargs -0 sha256sum >.complete)
echo "$recipe" >"$partial/.recipe"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$partial" "$out"
echo "[wheelhouse] done in $(( $(date +%s) - start )) s" >&2
show "$out"
