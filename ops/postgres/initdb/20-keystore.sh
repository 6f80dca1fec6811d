#!/bin/sh
# First start of the compose PostgreSQL only (docker-entrypoint-initdb.d): the key
# store's own database (privacy/keystore), owned by the same owner role. The migrate
# service migrates it (manage.py migrate --database keystore) and grants the
# application role read, insert and update on the data keys (never delete).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE DATABASE aseq_keys;
SQL
