export { identityConfigSchema, SERVICE_NAME, type IdentityConfig } from './config.js';
export { createIdentityService, type IdentityService, type IdentityServiceOptions } from './service.js';
export { identityApi } from './openapi.js';
