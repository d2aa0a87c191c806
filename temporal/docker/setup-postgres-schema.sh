#!/bin/sh
# Creates or upgrades Temporal's two PostgreSQL schemas (history store and visibility store) with the
# temporal-sql-tool of the temporalio/admin-tools image, before the server starts. The server image no
# longer does this itself, and doing it in a one-shot job keeps it out of the server's start path.
#
# Safe on every `docker compose up`: create-database ignores an existing database, setup-schema skips a
# database that already has a schema version, and update-schema applies only the versions not yet applied,
# which is also how a newer admin-tools image upgrades the schema before a newer server starts.
#
# Connection settings come from the tool's own variables: SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and
# SQL_PASSWORD (set by docker-compose.yml).
set -eu

schema_root=/etc/temporal/schema/postgresql/v12

setup() {
  database=$1
  versioned_dir=$2
  echo "temporal-schema: preparing database ${database}"
  temporal-sql-tool --db "${database}" create-database
  temporal-sql-tool --db "${database}" setup-schema -v 0.0
  temporal-sql-tool --db "${database}" update-schema -d "${versioned_dir}"
}

setup "${TEMPORAL_DB:-temporal}" "${schema_root}/temporal/versioned"
setup "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" "${schema_root}/visibility/versioned"
echo 'temporal-schema: done'
