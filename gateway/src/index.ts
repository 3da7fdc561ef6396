export { gatewayConfigSchema, SERVICE_NAME, type GatewayConfig } from './config.js';
export { createGateway, type Gateway } from './service.js';
