export * from './catalog.js';
export * from './envelope.js';
export * from './snapshots.js';
