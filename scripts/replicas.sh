#!/usr/bin/env bash
# Run N app replicas behind nginx on loopback (a local copy of the production setup).
#   bash scripts/replicas.sh start [N=2] [PORT=8600]   then open http://127.0.0.1:PORT
#   bash scripts/replicas.sh stop
# Every replica reads the same database file read-only (ATLAS_DB, default data/atlas.duckdb). An
# update or build writes a new file and renames it into place; each replica notices the new file
# on its next query and reopens it, so no restart is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN="${ATLAS_RUN_DIR:-/tmp/atlas-replicas}"
cmd="${1:-start}"; n="${2:-2}"; port="${3:-8600}"

stop() {
  [ -f "$RUN/nginx.pid" ] && nginx -c "$RUN/nginx.conf" -s quit 2>/dev/null || true
  for f in "$RUN"/replica-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
command -v nginx >/dev/null || { echo "nginx not found: apt-get install nginx" >&2; exit 1; }
stop
mkdir -p "$RUN"/{body,proxy,fastcgi,uwsgi,scgi}
python -m atlas build > "$RUN/build.log" 2>&1 || { cat "$RUN/build.log" >&2; exit 1; }  # one database, built once
upstreams=""
for i in $(seq 1 "$n"); do
  p=$((port + 10 + i))
  python -m atlas.ui.serve --server.port "$p" --server.address 127.0.0.1 --server.headless true \
    > "$RUN/replica-$i.log" 2>&1 &
  echo $! > "$RUN/replica-$i.pid"
  upstreams+="        server 127.0.0.1:$p;"$'\n'
done
sed -e "s#@RUN@#$RUN#g" -e "s#@LISTEN@#127.0.0.1:$port#" deploy/nginx.conf.template \
  | awk -v ups="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", ups; else print }' > "$RUN/nginx.conf"
for i in $(seq 1 "$n"); do
  p=$((port + 10 + i))
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$p/_stcore/health" >/dev/null && break; sleep 0.3; done
done
nginx -c "$RUN/nginx.conf"
echo "$n replicas behind nginx: http://127.0.0.1:$port"
