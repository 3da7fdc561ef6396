// Telemetry is not re-exported here: it must load before express, pg and amqplib, so it has
// its own entry point, `@desk/platform/telemetry`.
export * from './config.js';
export * from './cursor.js';
export * from './db.js';
export * from './errors.js';
export * from './example-values.js';
export * from './health.js';
export * from './http.js';
export * from './internal-listing.js';
export * from './logger.js';
export * from './metrics.js';
export * from './openapi.js';
export * from './problem.js';
export * from './problem-pages.js';
export * from './node-flags.js';
export * from './process-alive.js';
export * from './shutdown.js';
export * from './service-attribute.js';
export * from './live-streams.js';
export * from './seeded-random.js';
