#!/usr/bin/env bash
# Run once by the postgres image on an empty data volume (files in /docker-entrypoint-initdb.d).
# One server holds every store of the docker-compose stack, each in its own database, so that the
# platform's data, MLflow, Airflow and Temporal can be backed up, reset or moved independently.
# POSTGRES_DB itself is created by the image; this adds the others and is harmless to run again.
set -euo pipefail

databases=("${MLFLOW_DB:-mlflow}" airflow temporal temporal_visibility)

for database in "${databases[@]}"; do
  # CREATE DATABASE has no IF NOT EXISTS: generate the statement only when the database is missing.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --set name="$database" <<'SQL'
SELECT format('CREATE DATABASE %I', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')
\gexec
SQL
done
