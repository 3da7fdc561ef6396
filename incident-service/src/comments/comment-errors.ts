import { AppError } from '@desk/platform';

// The comment errors clients switch on; incident-level refusals come from incidentErrors.
export const commentErrors = {
  internalForbidden: () =>
    AppError.forbidden('COMMENT.INTERNAL_FORBIDDEN', "Internal notes are only for the incident's department staff, its managers and admins."),
  notFound: () => AppError.notFound('COMMENT.NOT_FOUND', 'There is no comment with this id on the incident that you can see.'),
};
