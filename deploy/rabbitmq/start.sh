#!/bin/bash
# The RabbitMQ container of docker-compose.yml: the image's own entrypoint starts the broker (with
# the admin user RABBITMQ_DEFAULT_USER for the management UI); once it is up, every service gets
# its user (service-users.sh), and only then does the health check pass (/tmp/desk-users-ready),
# so no service connects before its user exists. SIGTERM goes to the broker.
set -euo pipefail
rm -f /tmp/desk-users-ready
docker-entrypoint.sh rabbitmq-server &
broker=$!
trap 'kill -TERM "$broker"; wait "$broker"; exit $?' TERM INT
rabbitmqctl --quiet --timeout 300 await_startup
"$(dirname "$0")/service-users.sh"
touch /tmp/desk-users-ready
wait "$broker"
