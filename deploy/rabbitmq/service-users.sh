#!/bin/bash
# Gives each service its own RabbitMQ user, allowed to publish only to its own exchange: created
# when missing, password and permissions brought up to date when present. The rules are those of
# permissions.json (deploy/checks compares them); run it wherever `rabbitmqctl` reaches the broker:
#   IDENTITY_RABBITMQ_PASSWORD=… INCIDENT_RABBITMQ_PASSWORD=… NOTIFICATION_RABBITMQ_PASSWORD=… \
#   ANALYTICS_RABBITMQ_PASSWORD=… deploy/rabbitmq/service-users.sh
set -euo pipefail

service_user() {
  local name=$1 password=$2 configure=$3 write=$4 read=$5
  if rabbitmqctl --quiet list_users | cut -f1 | grep -qx "$name"; then
    rabbitmqctl --quiet change_password "$name" "$password"
  else
    rabbitmqctl --quiet add_user "$name" "$password"
  fi
  rabbitmqctl --quiet set_permissions -p / "$name" "$configure" "$write" "$read"
  echo "RabbitMQ user $name is ready"
}

service_user identity_service "${IDENTITY_RABBITMQ_PASSWORD:?set IDENTITY_RABBITMQ_PASSWORD}" \
  '^(identity\.events|incident\.events|identity-service|identity-service\..+)$' \
  '^((identity\.events|identity-service|identity-service\..+)|amq\.default)$' \
  '^(incident\.events|identity-service|identity-service\..+)$'
service_user incident_service "${INCIDENT_RABBITMQ_PASSWORD:?set INCIDENT_RABBITMQ_PASSWORD}" \
  '^(identity\.events|incident\.events|incident-service|incident-service\..+)$' \
  '^((incident\.events|incident-service|incident-service\..+)|amq\.default)$' \
  '^(identity\.events|incident\.events|incident-service|incident-service\..+)$'
service_user notification_service "${NOTIFICATION_RABBITMQ_PASSWORD:?set NOTIFICATION_RABBITMQ_PASSWORD}" \
  '^(identity\.events|incident\.events|notification-service|notification-service\..+)$' \
  '^((notification-service|notification-service\..+)|amq\.default)$' \
  '^(identity\.events|incident\.events|notification-service|notification-service\..+)$'
service_user analytics_service "${ANALYTICS_RABBITMQ_PASSWORD:?set ANALYTICS_RABBITMQ_PASSWORD}" \
  '^(identity\.events|incident\.events|analytics-service|analytics-service\..+)$' \
  '^((analytics-service|analytics-service\..+)|amq\.default)$' \
  '^(identity\.events|incident\.events|analytics-service|analytics-service\..+)$'
