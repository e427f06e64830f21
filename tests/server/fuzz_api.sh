#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (PyPI) generates requests for every
# operation in /api/openapi.json, valid and invalid, and fails on any 5xx answer.
#
#   bash tests/server/fuzz_api.sh [PACTA_BINARY] [MAX_EXAMPLES]
#
# It runs `pacta demo` into a temporary directory (a small month), creates an API key for
# each demo role, serves the demo's store on a loopback port and runs schemathesis once per
# key, so every route is fuzzed as a client manager, a provider manager and an auditor.
# Needs `st` from `.ci/.venv` (pip install schemathesis) or PACTA_SCHEMATHESIS.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/debug/pacta}
EXAMPLES=${2:-25}
ST=${PACTA_SCHEMATHESIS:-.ci/.venv/bin/st}
[ -x "$BIN" ] || { echo "fuzz_api: no pacta binary at $BIN (cargo build -p pacta-cli)" >&2; exit 2; }
[ -x "$ST" ] || { echo "fuzz_api: no schemathesis at $ST (.ci/.venv/bin/pip install schemathesis)" >&2; exit 2; }
BIN=$(realpath "$BIN")
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
"$BIN" demo --out "$WORK/demo" --store "$WORK/store" --rows 3000 > "$WORK/demo.log"
key_for() {
    "$BIN" token create --user "$1" --label fuzz --store "$WORK/store" 2> /dev/null
}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --addr "127.0.0.1:$PORT" --store "$WORK/store" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/api/openapi.json" > /dev/null && break
    sleep 0.1
done
status=0
for user in carla pedro ana; do
    key=$(key_for "$user")
    echo "== schemathesis as $user ($EXAMPLES examples per operation)"
    # Deterministic and bounded; `not_a_server_error` is the property: no 5xx, ever.
    "$ST" run "http://127.0.0.1:$PORT/api/openapi.json" \
        --checks not_a_server_error \
        --max-examples "$EXAMPLES" --seed 20261205 \
        --phases examples,coverage,fuzzing \
        --header "Authorization: Bearer $key" \
        --header "Accept-Language: es" \
        --request-timeout 30 --workers 1 --no-color \
        --generation-with-security-parameters false \
        --generation-database none || status=1
done
if grep -q -E 'status=5[0-9][0-9]' "$WORK/server.log"; then
    echo "fuzz_api: the server log shows a 5xx:" >&2
    grep -E 'status=5[0-9][0-9]' "$WORK/server.log" | head >&2
    status=1
fi
exit $status
