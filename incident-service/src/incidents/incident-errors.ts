import { AppError } from '@desk/platform';

// One place for the incident errors clients switch on, so codes and wording stay consistent.
export const incidentErrors = {
  notFound: () => AppError.notFound('INCIDENT.NOT_FOUND', 'There is no incident with this id or key that you can see.'),
  forbidden: (what: string) => AppError.forbidden('INCIDENT.FORBIDDEN', `You may not ${what} on this incident.`),
  final: (status: string) => AppError.conflict('INCIDENT.FINAL', `The incident is ${status}; it no longer changes.`),
  invalidTransition: (from: string, to: string) =>
    AppError.conflict('INCIDENT.INVALID_TRANSITION', `An incident cannot go from ${from} to ${to}.`),
  versionMismatch: (expected: readonly string[], current: string) =>
    AppError.preconditionFailed(
      'INCIDENT.VERSION_MISMATCH',
      `The incident changed since you read it (you have version ${expected.join(' or ')}, it is at ${current}). Reload it and try again.`,
    ),
};
