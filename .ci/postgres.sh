#!/usr/bin/env bash
# Starts a local PostgreSQL for pacta-db's tests and creates the role `pacta` (password
# `pacta`, CREATEDB). Run as root. It sets no variable in its caller: afterwards export
#   PACTA_TEST_POSTGRES=postgres://pacta:pacta@127.0.0.1:5432/postgres
#   PACTA_REQUIRE_POSTGRES=1
# so that the PostgreSQL half of `cargo test -p pacta-db` runs instead of skipping.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

# The first cluster: "15 main 5432 down postgres ...".
read -r ver cluster port status _ < <(pg_lsclusters --no-header | head -n 1)
if [ -z "${ver:-}" ]; then
    echo "postgres.sh: no PostgreSQL cluster found" >&2
    exit 1
fi
if [ "$status" != "online" ]; then
    pg_ctlcluster "$ver" "$cluster" start
fi

for _ in $(seq 1 60); do
    if pg_isready -h 127.0.0.1 -p "$port" -q; then
        break
    fi
    sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port"

as_postgres() {
    if command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su postgres -c "$(printf '%q ' "$@")"
    fi
}

as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -q -d postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pacta') THEN
        CREATE ROLE pacta LOGIN PASSWORD 'pacta' CREATEDB;
    ELSE
        ALTER ROLE pacta LOGIN PASSWORD 'pacta' CREATEDB;
    END IF;
END
$$;
-- DROP DATABASE ... WITH (FORCE) in the database tests ends the sessions still open on a test
-- database; without this, a session of another role there makes the drop fail.
GRANT pg_signal_backend TO pacta;
SQL
echo "postgres.sh: PostgreSQL $ver/$cluster is up on port $port with role pacta"
