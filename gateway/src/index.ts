export { gatewayConfigSchema, SERVICE_NAME, type GatewayConfig } from './config.js';
export { createGateway, type Gateway } from './service.js';
export { API_INFO, mergeApiDocuments } from './openapi.js';
