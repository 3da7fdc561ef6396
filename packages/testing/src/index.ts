export * from './broker.js';
export * from './database.js';
export * from './events.js';
export * from './logs.js';
export * from './openapi-conformance.js';
export * from './tcp-proxy.js';
export * from './wait.js';
export * from './smtp-sink.js';
