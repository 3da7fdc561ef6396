import { ATTACHMENT_TYPES, type FieldIssue } from '@desk/contracts';
import { AppError, formatByteSize } from '@desk/platform';

// The attachment errors clients switch on.
export const attachmentErrors = {
  notFound: () => AppError.notFound('ATTACHMENT.NOT_FOUND', 'There is no attachment with this id that you can see.'),
  tooLarge: (maxBytes: number) =>
    new AppError({ status: 413, code: 'ATTACHMENT.TOO_LARGE', detail: `The file is larger than the ${formatByteSize(maxBytes)} limit for one attachment; nothing was kept.`, extensions: { limitBytes: maxBytes } }),
  typeRefused: (detail: string) => new AppError({ status: 415, code: 'ATTACHMENT.TYPE_REFUSED', detail, extensions: { accepted: Object.keys(ATTACHMENT_TYPES).join(', ') } }),
  malformed: (detail: string, errors?: FieldIssue[]) => AppError.badRequest('ATTACHMENT.MALFORMED_UPLOAD', detail, errors ? { errors } : {}),
  scanning: () => AppError.conflict('ATTACHMENT.SCANNING', 'The file is still being checked for malware; try again in a few seconds.', { headers: { 'Retry-After': '3' } }),
  infected: (reason: string | null) => new AppError({ status: 410, code: 'ATTACHMENT.INFECTED', detail: `The malware scanner found ${reason ?? 'something'} in this file; its content was deleted.` }),
  deleteForbidden: () => AppError.forbidden('ATTACHMENT.DELETE_FORBIDDEN', "Only the person who uploaded it, or the department's staff, its managers and admins, may delete an attachment."),
  storageUnavailable: () => AppError.serviceUnavailable('ATTACHMENT.STORAGE_UNAVAILABLE', 'File storage is not reachable right now; try again shortly.', { headers: { 'Retry-After': '5' } }),
};
