#!/usr/bin/env bash
# FerretDB 1.x, a MongoDB-wire-compatible server, for machines that cannot download mongod.
#   scripts/ferretdb/ferretdb.sh build            builds (once, cached) and prints the binary's path
#   scripts/ferretdb/ferretdb.sh start DIR PORT   starts it on 127.0.0.1:PORT with SQLite in DIR,
#                                                 waits until it answers, prints its pid
#   scripts/ferretdb/ferretdb.sh start-postgresql DIR PORT DBNAME
#                                                 the same over PostgreSQL instead of SQLite: database
#                                                 DBNAME (created if missing) at $FERRETDB_POSTGRESQL_HOST
#                                                 (default postgres@127.0.0.1:5432); DIR keeps its log
# Built from the module source at a pinned version: `go install …/cmd/ferretdb@v1.24.2` gives a
# binary that panics at start-up, because the module zip lacks the build/version/version.txt
# that FerretDB's release process generates; this writes that file and builds the same code.
set -euo pipefail

FERRETDB_VERSION=v1.24.2
CACHE_DIR=${NEEDTOKNOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/needtoknow}
BINARY=$CACHE_DIR/ferretdb-$FERRETDB_VERSION

build() {
  if [ -x "$BINARY" ]; then echo "$BINARY"; return; fi
  # A non-interactive shell may not have Go's usual home on its PATH.
  if ! command -v go >/dev/null; then
    for dir in /usr/local/go/bin /usr/lib/go/bin "$HOME/go/bin"; do
      if [ -x "$dir/go" ]; then PATH="$dir:$PATH"; break; fi
    done
  fi
  command -v go >/dev/null || { echo "ferretdb: Go is needed to build FerretDB (https://go.dev/dl/)" >&2; exit 1; }
  mkdir -p "$CACHE_DIR"
  local source work
  source=$(cd "$CACHE_DIR" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$source" ] || { echo "ferretdb: could not download FerretDB $FERRETDB_VERSION through the Go module proxy" >&2; exit 1; }
  work=$(mktemp -d)
  cp -R "$source/." "$work/"
  chmod -R u+w "$work"
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  (cd "$work" && GOFLAGS=-buildvcs=false go build -trimpath -o "$BINARY.tmp" ./cmd/ferretdb) >&2
  mv "$BINARY.tmp" "$BINARY"
  rm -rf "$work"
  echo "$BINARY"
}

start() {
  local dir=${1:?usage: ferretdb.sh start DIR PORT} port=${2:?usage: ferretdb.sh start DIR PORT}
  launch "$dir" "$port" --handler=sqlite --sqlite-url="file:$dir/"
}

# FerretDB's PostgreSQL handler keeps each MongoDB database as a schema of this one database.
start_postgresql() {
  local usage='usage: ferretdb.sh start-postgresql DIR PORT DBNAME'
  local dir=${1:?$usage} port=${2:?$usage} dbname=${3:?$usage}
  local server=${FERRETDB_POSTGRESQL_HOST:-postgres@127.0.0.1:5432}
  local user=${server%@*} hostport=${server#*@}
  [[ $dbname =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "ferretdb: DBNAME must be a plain identifier" >&2; exit 2; }
  command -v psql >/dev/null || { echo "ferretdb: psql is needed to create the database" >&2; exit 1; }
  local psql=(psql -h "${hostport%:*}" -p "${hostport##*:}" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$dbname'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$dbname\"" >&2
  fi
  # A generic plan of FerretDB's `_jsonb->$1 @> $2` can never use an expression index
  # (subgraphs/shared/ferretdb-postgres-indexes.ts): plan each execution for its values.
  launch "$dir" "$port" --handler=postgresql --postgresql-url="postgres://$user@$hostport/$dbname?plan_cache_mode=force_custom_plan"
}

launch() {
  local dir=$1 port=$2
  shift 2
  local binary debug_port
  binary=$(build)
  mkdir -p "$dir"
  debug_port=$((port + 1))
  # Its debug listener and state file default to :8088 and the current folder: both moved aside.
  (cd "$dir" && exec "$binary" "$@" --state-dir="$dir" \
    --listen-addr="127.0.0.1:$port" --debug-addr="127.0.0.1:$debug_port" \
    --telemetry=disable --log-level=warn >"$dir/ferretdb.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$pid"; return; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "ferretdb: exited at start-up:" >&2; cat "$dir/ferretdb.log" >&2; exit 1; fi
    sleep 0.2
  done
  echo "ferretdb: not listening on 127.0.0.1:$port after 20 s" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
}

case "${1:-}" in
  build) build ;;
  start) shift; start "$@" ;;
  start-postgresql) shift; start_postgresql "$@" ;;
  *) echo "usage: $0 build | start DIR PORT | start-postgresql DIR PORT DBNAME" >&2; exit 2 ;;
esac
