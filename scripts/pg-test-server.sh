#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its URL on stdout.
# Usage: scripts/pg-test-server.sh [DIR] [PORT]   (stop it with: pg_ctl -D DIR stop)
set -euo pipefail
dir=${1:-/tmp/dosewise-pg}
port=${2:-54329}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 3; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --no-create-home postgres; fi
if ! as_pg "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  rm -rf "$dir"; mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg "$bindir/initdb" -D "$dir" -U dosewise --auth=trust -E UTF8 >/dev/null
  as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
  as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U dosewise dosewise_test
fi
echo "postgresql+psycopg://dosewise@127.0.0.1:$port/dosewise_test"
