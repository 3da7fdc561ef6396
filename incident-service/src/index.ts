export { incidentConfigSchema, SERVICE_NAME, type IncidentConfig } from './config.js';
export { createIncidentService, INCIDENT_SESSION_SETTINGS, type IncidentService, type IncidentServiceOptions } from './service.js';
export { incidentApi } from './openapi.js';
export { clockAt, systemClock, type Clock } from './clock.js';
export { replayHistory, type ChangesAt, type HistoryReplay } from './history/replay.js';
