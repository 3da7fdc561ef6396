import { z } from 'zod';

/** Where an invalid value was found in a request. */
export const FIELD_LOCATIONS = ['body', 'query', 'params', 'headers'] as const;

/** A JSON Pointer (RFC 6901) from a path's segments: `['items', 0, 'name']` → `/items/0/name`; `[]` → `''`. */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The segments of a JSON Pointer, unescaped: `/items/0/name` → `['items', '0', 'name']`. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * One invalid field of a request: `path` is a JSON Pointer (RFC 6901) into the part of the
 * request `location` names (`/items/0/name` in the body, `/status` in the query, `/if-match` in
 * the headers); `''` for the part as a whole.
 */
export const fieldIssueSchema = z.object({
  location: z.enum(FIELD_LOCATIONS),
  path: z
    .string()
    .regex(/^(\/[^/]*)*$/)
    .meta({ description: 'A JSON Pointer (RFC 6901) into the part of the request `location` names; empty for the part as a whole.', examples: ['/title', '/items/0/email', ''] }),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/**
 * An error response, RFC 9457 (application/problem+json), with the platform's extensions:
 * a stable namespaced `code` (`INCIDENT.INVALID_TRANSITION`) that clients switch on, the
 * `requestId` to quote to support, and `errors` for validation failures.
 */
export const problemDetailsSchema = z.object({
  type: z.string().meta({
    description:
      "A URI reference, resolved against the API's origin, to the page describing the problem: what it means and what to do (HTML, or JSON with `Accept: application/json`). `/problems` lists them all.",
    examples: ['/problems/incident-invalid-transition'],
  }),
  title: z.string().meta({ description: 'The problem type in a few words; the same for every occurrence.' }),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().regex(/^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/),
  requestId: z.string().optional(),
  errors: z.array(fieldIssueSchema).optional(),
  challengeToken: z
    .string()
    .optional()
    .meta({ description: 'Only with `AUTH.MFA_REQUIRED` and `AUTH.MFA_ENROLMENT_REQUIRED`: send it to `POST /auth/login/mfa` (or `/auth/login/mfa/setup`).' }),
  expiresIn: z.number().int().optional().meta({ description: 'Only with `challengeToken`: seconds it stays valid.' }),
});
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
