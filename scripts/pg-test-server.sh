#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for Strive's PostgreSQL tests and benchmarks,
# and print its URL on stdout (the only stdout line), e.g.
#
#   export STRIVE_TEST_PG_URL="$(bash scripts/pg-test-server.sh)"
#
# - Installs PostgreSQL with apt-get when no server binaries are found.
# - The cluster lives in $STRIVE_PG_DIR (default /tmp/strive-pg-test), listens only on 127.0.0.1,
#   port $STRIVE_PG_PORT (default 55432, not the default 5432), trust authentication (loopback
#   only; it is a test server).
# - PostgreSQL refuses to run as root, so when run as root the cluster is owned by and started
#   as the system user `strive-pg` (created if missing) via runuser.
# - Idempotent: a cluster already running there is reused. Stop it with
#   `bash scripts/pg-test-server.sh stop`.
set -euo pipefail

DIR="${STRIVE_PG_DIR:-/tmp/strive-pg-test}"
PORT="${STRIVE_PG_PORT:-55432}"
DB=strive_test
URL="postgres://strive@127.0.0.1:${PORT}/${DB}"

log() { echo "pg-test-server: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
  return 1
}

BINDIR="$(find_bindir || true)"
if [[ -z "$BINDIR" ]]; then
  log "PostgreSQL not found; installing it with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BINDIR="$(find_bindir)" || { log "no initdb/pg_ctl after installing postgresql"; exit 1; }
fi

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u strive-pg -- "$@"; else "$@"; fi
}

if [[ "$(id -u)" == 0 ]] && ! id strive-pg >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin strive-pg
fi

if [[ "${1:-}" == "stop" ]]; then
  [[ -d "$DIR/data" ]] && as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
  exit 0
fi

mkdir -p "$DIR"
[[ "$(id -u)" == 0 ]] && chown strive-pg "$DIR"

if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
  log "initialising a cluster in $DIR/data"
  as_owner "$BINDIR/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
fi

if ! as_owner "$BINDIR/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c max_connections=200 -c fsync=off" start >&2
fi

psql_admin() { as_owner psql -v ON_ERROR_STOP=1 -qAt -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
if [[ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='strive'")" != 1 ]]; then
  psql_admin -d postgres -c "CREATE ROLE strive LOGIN SUPERUSER" >&2
fi
if [[ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$DB'")" != 1 ]]; then
  psql_admin -d postgres -c "CREATE DATABASE $DB OWNER strive" >&2
fi
echo "$URL"
