export * from './broker.js';
export * from './database.js';
export * from './logs.js';
export * from './wait.js';
