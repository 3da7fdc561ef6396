/**
 * The span attribute naming the platform service a span belongs to (`incident-service`). Every
 * service's HTTP server spans, and the bus's publish and process spans, carry it; child spans
 * inherit it. In standalone mode one process hosts every service, and the telemetry set-up gives
 * each exported span the `service.name` this names, so a trace view tells the services apart.
 */
export const SERVICE_ATTRIBUTE = 'desk.service';
