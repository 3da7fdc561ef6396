export { traceAction } from './actions';
export { PortalTracing } from './portal-tracing';
