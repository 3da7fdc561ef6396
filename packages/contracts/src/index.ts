export * from './auth.js';
export * from './events/index.js';
export * from './identity.js';
export * from './incident-api.js';
export * from './incidents.js';
export * from './pagination.js';
export * from './problem.js';
export * from './roles.js';
