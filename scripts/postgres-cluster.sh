#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for the tests and for trying `leeway serve --postgres`.
#
#   eval "$(bash scripts/postgres-cluster.sh start [PORT])"   # prints the exports: LEEWAY_TEST_POSTGRES_URL, LEEWAY_PGTMP
#   bash scripts/postgres-cluster.sh stop                     # stops the cluster in $LEEWAY_PGTMP and removes it
#
# Runs as root (initdb and pg_ctl run as the `postgres` user through runuser; initdb refuses root)
# or as the postgres user. Needs Debian's postgresql package: apt-get install -y --no-install-recommends postgresql.
set -euo pipefail
command=${1:-start}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || { echo "postgresql is not installed: apt-get install -y --no-install-recommends postgresql" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$command" in
start)
    port=${2:-54329}
    dir=$(mktemp -d /tmp/leeway-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    password=leeway-test
    echo "$password" > "$dir/pw"
    [ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
    as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # The tests create and drop many small databases and connect often: a few more connections than the default.
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" \
        -w start >/dev/null || { cat "$dir/log" >&2; exit 1; }
    as_postgres "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -qAtc "CREATE DATABASE leeway" >/dev/null
    echo "export LEEWAY_PGTMP=$dir"
    echo "export LEEWAY_TEST_POSTGRES_URL=postgres://postgres:$password@127.0.0.1:$port/leeway"
    ;;
stop)
    dir=${LEEWAY_PGTMP:?set LEEWAY_PGTMP (printed by start)}
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
