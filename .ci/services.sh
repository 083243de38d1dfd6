#!/usr/bin/env bash
# Starts PostgreSQL and Redis on loopback for the test suite and prints the
# environment variables that point the tests at them. Idempotent: services
# that already answer are left alone. Needs root (or the postgres user).
set -euo pipefail

# Only the export lines at the end may reach standard output (the caller
# evals it): everything the service tools print (pg_ctlcluster's "Removed
# stale pid file", for instance) goes to standard error. A block redirection,
# not a duplicated descriptor, so that the daemons started here do not hold
# the caller's pipe open.
{
  PGVER=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  PGPORT=${PGPORT:-5432}
  REDISPORT=${REDISPORT:-6379}

  if ! pg_isready -h 127.0.0.1 -p "$PGPORT" -q 2>/dev/null; then
    if ! pg_lsclusters -h 2>/dev/null | grep -q "^$PGVER main"; then
      pg_createcluster "$PGVER" main -p "$PGPORT" >/dev/null
    fi
    pg_ctlcluster "$PGVER" main start
    for _ in $(seq 1 50); do pg_isready -h 127.0.0.1 -p "$PGPORT" -q && break; sleep 0.2; done
  fi
  su postgres -c "psql -p $PGPORT -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='strategieraum'\"" | grep -q 1 ||
    su postgres -c "psql -p $PGPORT -qc \"CREATE ROLE strategieraum LOGIN PASSWORD 'strategieraum' CREATEDB\""
  su postgres -c "psql -p $PGPORT -qtAc \"SELECT 1 FROM pg_database WHERE datname='strategieraum_test'\"" | grep -q 1 ||
    su postgres -c "psql -p $PGPORT -qc \"CREATE DATABASE strategieraum_test OWNER strategieraum\""

  if ! redis-cli -h 127.0.0.1 -p "$REDISPORT" ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDISPORT" --save '' --appendonly no \
      --logfile /tmp/strategieraum-redis.log
    for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi

} >&2

echo "export STRATEGIERAUM_TEST_POSTGRES_URL=postgres://strategieraum:strategieraum@127.0.0.1:$PGPORT/strategieraum_test?sslmode=disable"
echo "export STRATEGIERAUM_TEST_REDIS_URL=redis://127.0.0.1:$REDISPORT/0"
