export * from './caller.js';
export * from './middleware.js';
export * from './tokens.js';
export * from './audit-context.js';
export * from './revocations.js';
export * from './satisfaction-links.js';
