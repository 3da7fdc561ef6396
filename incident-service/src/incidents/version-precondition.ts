import { incidentErrors } from './incident-errors.js';

/**
 * What a change is conditional on (RFC 9110 §13.1.1, If-Match): any current version (`*`), or
 * one of the versions listed, kept as the digits the client sent so that even a version past
 * 2^53 is compared and reported exactly. `undefined`: the change is unconditional.
 */
export type VersionPrecondition = { any: true } | { versions: readonly string[] };

/** Throws 412 INCIDENT.VERSION_MISMATCH unless the incident's current version satisfies it. */
export function assertVersion(precondition: VersionPrecondition | undefined, current: number | string): void {
  if (precondition === undefined || 'any' in precondition) return;
  const currentVersion = String(current);
  if (!precondition.versions.some((version) => version.replace(/^0+(?=\d)/, '') === currentVersion)) {
    throw incidentErrors.versionMismatch(precondition.versions, currentVersion);
  }
}
