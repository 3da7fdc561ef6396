import { z } from 'zod';

/** Where an invalid value was found in a request. */
export const FIELD_LOCATIONS = ['body', 'query', 'params', 'headers'] as const;

/** One invalid field of a request: `path` is dotted (`items.0.name`), empty for the whole value. */
export const fieldIssueSchema = z.object({
  location: z.enum(FIELD_LOCATIONS),
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/**
 * An error response, RFC 9457 (application/problem+json), with the platform's extensions:
 * a stable namespaced `code` (`INCIDENT.INVALID_TRANSITION`) that clients switch on, the
 * `requestId` to quote to support, and `errors` for validation failures.
 */
export const problemDetailsSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/),
  requestId: z.string().optional(),
  errors: z.array(fieldIssueSchema).optional(),
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
