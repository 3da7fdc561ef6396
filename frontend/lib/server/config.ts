import 'server-only';

// Read at request time, not at build time: one image runs against any gateway.

/** The gateway as the portal's server reaches it (inside the cluster: http://gateway:8080). */
export function gatewayUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
}

export { publicApiUrl } from '../public-api-url';

/** Whether the portal traces clicks and API calls in the browser and uploads the spans to the gateway. */
export function portalTracing(): boolean {
  return process.env.PORTAL_TRACING === 'enabled';
}
