import { startTelemetry } from '@desk/platform/telemetry';

// Imported first by main.ts: instrumentation must patch http, pg and pino before
// anything loads them. One process hosts every service, so spans carry the platform's name.
export const telemetry = startTelemetry({ serviceName: 'incident-platform' });
