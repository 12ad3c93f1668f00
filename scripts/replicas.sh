#!/usr/bin/env bash
# A local copy of the production setup on loopback, behind nginx (deploy/nginx.conf.template).
#
#   bash scripts/replicas.sh start [N=2] [PORT=8600]   N replicas on one "host" reading one database
#   bash scripts/replicas.sh hosts [PORT=8600]         two "hosts" (host-a, host-b: own folders, own
#                                                      databases, own sync) sharing one PostgreSQL
#   bash scripts/replicas.sh check                     hosts: compare the two databases' table checksums
#   bash scripts/replicas.sh stop
#
# start: every replica reads the same database file read-only (ATLAS_DB, default data/atlas.duckdb);
# a build or update writes a new file and renames it into place, and each replica reopens it on its
# next query. hosts: the admin store and login throttle live in PostgreSQL ($ATLAS_ADMIN_DATABASE_URL,
# or a throwaway server started here in $RUN/pg); each host builds its own database from the same
# pinned sources plus the register and runs `python -m atlas sync`, which rebuilds it when the
# register changes. nginx spreads browsers over both hosts' replicas with sticky sessions.
#
# Settings (environment): ATLAS_RUN_DIR (default /tmp/atlas-replicas), ATLAS_NGINX_CONN_PER_CLIENT
# (open connections per client address, default 100), ATLAS_EMBED_ANCESTORS (sites that may frame
# embedded figures, default "*"), ATLAS_SYNC_INTERVAL (seconds between register polls, default 2),
# ATLAS_REPLICAS_PER_HOST (hosts mode, default 1).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
RUN="${ATLAS_RUN_DIR:-/tmp/atlas-replicas}"
cmd="${1:-start}"

stop() {
  [ -f "$RUN/nginx.pid" ] && nginx -c "$RUN/nginx.conf" -s quit 2>/dev/null || true
  for f in "$RUN"/replica-*.pid "$RUN"/sync-*.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  if [ -f "$RUN/pg/data/postmaster.pid" ]; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$RUN/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 50); do [ -f "$RUN/nginx.pid" ] || break; sleep 0.1; done
}

pg_bin() {
  local found
  found="$(command -v pg_ctl || true)"
  [ -n "$found" ] || found="$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)"
  [ -n "$found" ] || { echo "PostgreSQL not found: apt-get install postgresql" >&2; return 1; }
  dirname "$(readlink -f "$found")"  # the real bin folder (initdb, createdb), not a lone symlink
}

as_postgres() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {  # a throwaway server for the hosts mode; prints its URL
  local bin port pw
  bin="$(pg_bin)"
  port=$((PORT + 5))
  rm -rf "$RUN/pg"; mkdir -p "$RUN/pg"
  pw="$(python -c 'import secrets; print(secrets.token_hex(16))')"
  (umask 077; echo "$pw" > "$RUN/pg/pw")
  [ "$(id -u)" = 0 ] && chown -R postgres "$RUN/pg"
  as_postgres "$bin/initdb" -D "$RUN/pg/data" -U atlas --pwfile "$RUN/pg/pw" --auth scram-sha-256 -E UTF8 \
    --locale C > "$RUN/pg/initdb.log" 2>&1 || { cat "$RUN/pg/initdb.log" >&2; return 1; }
  as_postgres "$bin/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$RUN/pg" start >/dev/null \
    || { cat "$RUN/pg/server.log" >&2; return 1; }
  PGPASSWORD="$pw" "$bin/createdb" -h 127.0.0.1 -p "$port" -U atlas atlas
  echo "postgresql://atlas:$pw@127.0.0.1:$port/atlas"
}

serve() {  # serve <name> <port>: one replica with the current environment
  python -m atlas.ui.serve --server.port "$2" --server.address 127.0.0.1 --server.headless true \
    > "$RUN/replica-$1.log" 2>&1 &
  echo $! > "$RUN/replica-$1.pid"
}

render_nginx() {  # render_nginx <upstream lines>
  sed -e "s#@RUN@#$RUN#g" -e "s#@LISTEN@#127.0.0.1:$PORT#" \
      -e "s#@CONN_PER_CLIENT@#${ATLAS_NGINX_CONN_PER_CLIENT:-100}#g" \
      -e "s#@EMBED_ANCESTORS@#$(printf '%s' "${ATLAS_EMBED_ANCESTORS:-*}" | sed 's/[&#]/\\&/g')#g" \
      deploy/nginx.conf.template \
    | awk -v ups="$1" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' > "$RUN/nginx.conf"
  nginx -t -c "$RUN/nginx.conf" > "$RUN/nginx-test.log" 2>&1 || { cat "$RUN/nginx-test.log" >&2; return 1; }
}

wait_healthy() {  # wait_healthy <port>...
  for p in "$@"; do
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null && break; sleep 0.3; done
    curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null || { echo "replica on :$p did not start" >&2; return 1; }
  done
}

case "$cmd" in
  stop)
    stop; exit 0 ;;
  check)
    python -m atlas checksums "$RUN/host-a/atlas.duckdb" "$RUN/host-b/atlas.duckdb"; exit $? ;;
  start|hosts) ;;
  *) echo "usage: $0 start [N] [PORT] | hosts [PORT] | check | stop" >&2; exit 2 ;;
esac

command -v nginx >/dev/null || { echo "nginx not found: apt-get install nginx" >&2; exit 1; }
stop
mkdir -p "$RUN"/{body,proxy,fastcgi,uwsgi,scgi}
upstreams=""
ports=()

if [ "$cmd" = start ]; then
  n="${2:-2}"; PORT="${3:-8600}"
  python -m atlas build > "$RUN/build.log" 2>&1 || { cat "$RUN/build.log" >&2; exit 1; }  # one database, built once
  for i in $(seq 1 "$n"); do
    p=$((PORT + 10 + i)); serve "$i" "$p"; ports+=("$p")
    upstreams+="        server 127.0.0.1:$p;"$'\n'
  done
else
  PORT="${2:-8600}"
  url="${ATLAS_ADMIN_DATABASE_URL:-}"
  [ -n "$url" ] || url="$(start_postgres)"
  (umask 077; echo "$url" > "$RUN/admin-database-url")
  per_host="${ATLAS_REPLICAS_PER_HOST:-1}"
  for h in a b; do
    dir="$RUN/host-$h"; mkdir -p "$dir"
    offset=$([ "$h" = a ] && echo 10 || echo 20)
    (  # each host: its own folder and database, the shared register
      export ATLAS_DB="$dir/atlas.duckdb" ATLAS_RAW_DIR="$dir/raw" ATLAS_LIVE_DIR="$dir/live" \
             ATLAS_AUTH_DB="$dir/admin_auth.sqlite" ATLAS_ADMIN_DATABASE_URL="$url"
      python -m atlas build > "$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
      for i in $(seq 1 "$per_host"); do serve "$h$i" $((PORT + offset + i)); done
      python -m atlas sync --interval "${ATLAS_SYNC_INTERVAL:-2}" > "$RUN/sync-$h.log" 2>&1 &
      echo $! > "$RUN/sync-$h.pid"
    )
    for i in $(seq 1 "$per_host"); do
      p=$((PORT + offset + i)); ports+=("$p")
      upstreams+="        server 127.0.0.1:$p;   # host $h"$'\n'
    done
  done
fi

render_nginx "$upstreams"
wait_healthy "${ports[@]}"
nginx -c "$RUN/nginx.conf"
echo "${#ports[@]} replicas behind nginx: http://127.0.0.1:$PORT"
