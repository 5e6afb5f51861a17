#!/usr/bin/env bash
# `make test`: make a throwaway PostgreSQL and Debian's chromium available, then run the whole pytest suite.
#
# - DETENTE_TEST_PG_DSN set: use that server, start nothing.
# - else: Debian's PostgreSQL binaries (/usr/lib/postgresql/*/bin; apt-installed when missing and we are root),
#   a fresh cluster in .pgtest/ on 127.0.0.1:${DETENTE_TEST_PG_PORT:-54329} (socket in .pgtest/), stopped on exit.
# Extra arguments go to pytest. The exit status is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-.venv/bin/python}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ -z "${DETENTE_TEST_PG_DSN:-}" ]]; then
  PGPORT=${DETENTE_TEST_PG_PORT:-54329}
  PGDIR="$ROOT/.pgtest"
  PGBIN=$(pg_bin || true)
  if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
    if is_root; then
      echo "test.sh: installing PostgreSQL (apt-get) for the postgres tests" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      PGBIN=$(pg_bin || true)
    fi
    if [[ -z "$PGBIN" || ! -x "$PGBIN/initdb" ]]; then
      echo "test.sh: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin). Install the 'postgresql' package" \
           "or set DETENTE_TEST_PG_DSN=postgresql://user@host:port/db to an empty database you can write." >&2
      exit 2
    fi
  fi
  # a stale server from an interrupted run: stop it before wiping its directory
  if [[ -f "$PGDIR/data/postmaster.pid" ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR"
  mkdir -p "$PGDIR"
  if is_root; then chown postgres: "$PGDIR"; fi
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U detente -A trust -E UTF8 --no-sync >"$PGDIR/initdb.log" 2>&1 || {
    echo "test.sh: initdb failed; see $PGDIR/initdb.log" >&2; cat "$PGDIR/initdb.log" >&2; exit 2; }
  stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" stop -m fast >/dev/null 2>&1 || true; }
  trap stop_pg EXIT
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $PGDIR -F" start >/dev/null || {
    echo "test.sh: PostgreSQL did not start (port $PGPORT busy? set DETENTE_TEST_PG_PORT); log:" >&2
    cat "$PGDIR/server.log" >&2; exit 2; }
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U detente detente_test
  export DETENTE_TEST_PG_DSN="postgresql://detente@127.0.0.1:$PGPORT/detente_test"
  echo "test.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') at $DETENTE_TEST_PG_DSN" >&2
fi

# The dashboard tests drive Debian's chromium through Playwright (tests/test_dashboard_browser.py; playwright comes
# with the dev extra). Playwright's own browser download is never used.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  if is_root; then
    echo "test.sh: installing chromium (apt-get) for the dashboard browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: no chromium; the dashboard browser tests skip (install Debian's 'chromium' package)" >&2
  fi
fi

set +e
"$PY" -m pytest -q "$@"
rc=$?
set -e
exit $rc
