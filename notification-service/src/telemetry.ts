import { startTelemetry } from '@desk/platform/telemetry';

// Imported first by main.ts: instrumentation must patch http, pg and pino before
// anything loads them.
export const telemetry = startTelemetry({ serviceName: 'notification-service' });
