#!/usr/bin/env bash
# One database role per service, each allowed into its own schema only.
#
# The postgres image runs this once, when it initialises an empty data volume
# (/docker-entrypoint-initdb.d), as the superuser POSTGRES_USER in the database POSTGRES_DB.
# Each service then connects as its role, owns its schema (identity, incident, notification,
# analytics) and runs its own migrations there; it cannot create schemas, and it has no rights
# on the others' schemas or on `public`. The schemas exist before the services start because
# their roles may not create them (the services only create a schema that is missing).
#
# Environment: <SERVICE>_DB_PASSWORD for identity, incident, notification and analytics
# (required), <SERVICE>_DB_USER to rename a role (default identity_service and so on).
# Safe to run again: it creates what is missing and resets passwords and rights.
# Passwords changed later in .env need a rerun (the image runs this only on a new volume):
#   docker compose exec postgres /docker-entrypoint-initdb.d/01-service-roles.sh
set -euo pipefail

database="${POSTGRES_DB:?POSTGRES_DB must name the platform database}"
superuser="${POSTGRES_USER:-postgres}"

run_sql() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$superuser" --dbname "$database" "$@"
}

# Nobody but the service roles (and the superuser) may connect, and nobody creates in `public`.
run_sql --set=database="$database" <<'SQL'
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL

service_role() {
  local schema="$1" role="$2" password="$3"
  if [[ -z "$password" ]]; then
    echo "01-service-roles.sh: the password for role $role (schema $schema) is empty" >&2
    exit 1
  fi
  # psql variables keep names and the password quoted correctly; \gexec creates the role only
  # when it is missing (CREATE ROLE has no IF NOT EXISTS).
  run_sql --set=database="$database" --set=schema="$schema" --set=role="$role" --set=password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
GRANT CONNECT ON DATABASE :"database" TO :"role";
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
ALTER ROLE :"role" IN DATABASE :"database" SET search_path TO :"schema";
SQL
  echo "01-service-roles.sh: role $role owns schema $schema in database $database"
}

service_role identity "${IDENTITY_DB_USER:-identity_service}" "${IDENTITY_DB_PASSWORD:-}"
service_role incident "${INCIDENT_DB_USER:-incident_service}" "${INCIDENT_DB_PASSWORD:-}"
service_role notification "${NOTIFICATION_DB_USER:-notification_service}" "${NOTIFICATION_DB_PASSWORD:-}"
service_role analytics "${ANALYTICS_DB_USER:-analytics_service}" "${ANALYTICS_DB_PASSWORD:-}"
