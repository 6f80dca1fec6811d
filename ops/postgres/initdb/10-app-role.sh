#!/bin/sh
# First start of the compose PostgreSQL only (docker-entrypoint-initdb.d): create the
# application role the web, worker and beat processes connect as. It can log in and
# nothing else; `manage.py grant_app_role aseq_app` (the compose migrate service, as
# the owner) gives it rows to read and write, and the audit log to append to.
set -eu
: "${POSTGRES_APP_PASSWORD:?POSTGRES_APP_PASSWORD is required (see .env.example)}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE aseq_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'app_password';
SQL
