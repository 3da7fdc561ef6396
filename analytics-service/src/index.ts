export { analyticsConfigSchema, SERVICE_NAME, type AnalyticsConfig } from './config.js';
export { rebuildFacts, type RebuildOptions } from './facts/rebuild.js';
export { createAnalyticsService, type AnalyticsService, type AnalyticsServiceOptions } from './service.js';
export { analyticsApi } from './openapi.js';
