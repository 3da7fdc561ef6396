export * from './keeper.js';
export * from './replica.js';
