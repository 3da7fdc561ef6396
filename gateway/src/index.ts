export { gatewayConfigSchema, SERVICE_NAME, type GatewayConfig } from './config.js';
export { createGateway, type Gateway } from './service.js';
export { GATEWAY_NODE_FLAGS } from './node-flags.js';
