# Sourced by .ci/run (or by hand: `. scripts/harness/test-postgres.sh && pg_start`):
# starts a throwaway PostgreSQL server for the ledger tests on a loopback
# port, in a temporary folder, and exports EVALGATE_TEST_POSTGRES_URL;
# `pg_stop` stops it and removes the folder. initdb and pg_ctl refuse to run
# as root, so they run as the `postgres` user that Debian's package creates.

pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing: postgresql"
    export DEBIAN_FRONTEND=noninteractive
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -q; APT_UPDATED=1; }
    apt-get install -y -q postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  PG_DIR=$(mktemp -d /tmp/evalgate-pg.XXXXXX)
  PG_BIN=$bin
  PG_PORT=${EVALGATE_PG_PORT:-54329}
  # The next free loopback port, should another server hold this one.
  while (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
  chown postgres "$PG_DIR"
  local as_postgres=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || as_postgres=()
  "${as_postgres[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=50 -c fsync=off" start >/dev/null \
    || { cat "$PG_DIR/server.log"; return 1; }
  export EVALGATE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
  export EVALGATE_REQUIRE_POSTGRES=1
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local as_postgres=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || as_postgres=()
  "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
}
