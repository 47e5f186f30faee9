#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks: unix socket only, no fsync, gone on stop.
#   scripts/throwaway-postgres.sh start DIR [PORT]   prints the SQLAlchemy URL of the server
#   scripts/throwaway-postgres.sh stop DIR           stops it and removes DIR
# DIR is an empty directory the caller made (mktemp -d). initdb refuses root, so the server
# runs as the postgres user (Debian's postgresql package creates it).
set -euo pipefail

command=${1:-} base=${2:-} port=${3:-55432}
if [[ ! $command =~ ^(start|stop)$ || ! -d $base ]]; then
  sed -n '2,4s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_postgres() { runuser -u postgres -- "$@"; }

if [[ $command == start ]]; then
  [[ -x $bin/initdb ]] || { echo "no PostgreSQL server binaries: apt-get install postgresql" >&2; exit 1; }
  chmod 755 "$base"
  chown postgres:postgres "$base"
  as_postgres "$bin/initdb" -D "$base/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 -N >/dev/null
  as_postgres "$bin/pg_ctl" -D "$base/data" -l "$base/log" -w \
    -o "-k $base -p $port -c listen_addresses='' -c fsync=off" start >/dev/null \
    || { cat "$base/log" >&2; exit 1; }
  echo "postgresql+psycopg://postgres@/postgres?host=$base&port=$port"
else
  if [[ -f $base/data/postmaster.pid ]]; then
    as_postgres "$bin/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null || true
  fi
  # Only ever remove what start made (or an empty directory): DIR comes from the caller.
  if [[ -d $base/data || -z $(ls -A "$base") ]]; then rm -rf -- "$base"; fi
fi
