export { incidentConfigSchema, SERVICE_NAME, type IncidentConfig } from './config.js';
export { createIncidentService, type IncidentService, type IncidentServiceOptions } from './service.js';
