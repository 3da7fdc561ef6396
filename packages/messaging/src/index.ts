export * from './bus.js';
export * from './create-bus.js';
export { handleDelivery, type DeliveryOutcome } from './dispatch.js';
export * from './in-process-bus.js';
export * from './inbox.js';
export * from './migrations.js';
export * from './outbox.js';
export * from './rabbitmq-bus.js';
export { contextFromHeaders, currentTraceparent, traceHeaders } from './trace-context.js';
