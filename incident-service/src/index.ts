export { incidentConfigSchema, SERVICE_NAME, type IncidentConfig } from './config.js';
export { createIncidentService, INCIDENT_SESSION_SETTINGS, type IncidentService, type IncidentServiceOptions } from './service.js';
export { incidentApi } from './openapi.js';
