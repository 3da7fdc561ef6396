import { analyticsApi } from '@desk/analytics-service';
import { mergeApiDocuments } from '@desk/gateway';
import { identityApi } from '@desk/identity-service';
import { incidentApi } from '@desk/incident-service';
import { notificationApi } from '@desk/notification-service';
import { openApiDocument } from '@desk/platform';

/**
 * The gateway's `/openapi.json` as it is with every service reachable: the gateway's merge over
 * each service's own document, built in-process, so generating the client needs no running
 * platform.
 */
export function platformApiDocument(): Record<string, unknown> {
  return mergeApiDocuments(
    [
      { name: 'analytics', document: openApiDocument(analyticsApi) },
      { name: 'identity', document: openApiDocument(identityApi) },
      { name: 'incident', document: openApiDocument(incidentApi) },
      { name: 'notification', document: openApiDocument(notificationApi) },
    ],
  );
}
