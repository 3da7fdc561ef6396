import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProblemCode } from '@desk/contracts';
import { z } from 'zod';
import { AppError, parseInput, validationFailed } from './errors.js';

const createIncidentBody = z.strictObject({
  title: z.string().min(3),
  priority: z.enum(['low', 'high']),
  location: z.strictObject({ building: z.string() }).optional(),
  tags: z.array(z.string().max(5)).optional(),
});

describe('AppError', () => {
  it('when made by a factory, then it carries the status, code, detail, extras and cause', () => {
    const cause = new Error('unique violation');
    const error = AppError.conflict('USER.EMAIL_TAKEN', 'That email is already registered.', { cause });
    assert.equal(error.status, 409);
    assert.equal(error.code, 'USER.EMAIL_TAKEN');
    assert.equal(error.detail, 'That email is already registered.');
    assert.equal(error.message, 'That email is already registered.');
    assert.equal(error.cause, cause);
    assert.ok(error instanceof Error);
  });

  it('when each factory is used, then it maps to its HTTP status', () => {
    const statuses = [
      AppError.badRequest('VALIDATION.FAILED', 'x').status,
      AppError.unauthorized('AUTH.INVALID_TOKEN', 'x').status,
      AppError.forbidden('AUTH.FORBIDDEN', 'x').status,
      AppError.notFound('INCIDENT.NOT_FOUND', 'x').status,
      AppError.conflict('INCIDENT.FINAL', 'x').status,
      AppError.preconditionFailed('INCIDENT.VERSION_MISMATCH', 'x').status,
      AppError.unprocessable('INCIDENT.INVALID_ASSIGNEE', 'x').status,
      AppError.tooManyRequests('GATEWAY.RATE_LIMITED', 'x').status,
    ];
    assert.deepEqual(statuses, [400, 401, 403, 404, 409, 412, 422, 429]);
  });

  it('when a rate limit names the wait, then Retry-After is set in whole seconds', () => {
    const error = AppError.tooManyRequests('AUTH.TOO_MANY_ATTEMPTS', 'Try again later.', { retryAfterSeconds: 12.2 });
    assert.deepEqual(error.headers, { 'Retry-After': '13' });
  });

  it('when the code is not AREA.NAME, not in the problem catalogue, or the status is not an error status, then construction fails', () => {
    assert.throws(() => AppError.notFound('not-found' as ProblemCode, 'x'), /AREA\.NAME/);
    assert.throws(() => AppError.notFound('THING.MISSING' as ProblemCode, 'x'), /not in the problem catalogue/);
    assert.throws(() => new AppError({ code: 'INCIDENT.NOT_FOUND', status: 302, detail: 'x' }), /400 to 599/);
  });
});

describe('validationFailed and parseInput', () => {
  it('when the input is valid, then parseInput returns the parsed value', () => {
    const body = parseInput(createIncidentBody, { title: 'Printer on fire', priority: 'high' }, 'body');
    assert.deepEqual(body, { title: 'Printer on fire', priority: 'high' });
  });

  it('when fields are missing, wrong or unknown, then each is reported with its location and a JSON Pointer', () => {
    const input = {
      title: 'ab',
      location: { building: 'B', floor: 3 },
      tags: ['ok', 'far too long'],
      assignee: 'me',
      severity: 'sev1',
    };
    let thrown: unknown;
    try {
      parseInput(createIncidentBody, input, 'body');
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof AppError);
    assert.equal(thrown.status, 400);
    assert.equal(thrown.code, 'VALIDATION.FAILED');
    assert.equal(thrown.detail, 'The request body is invalid: 6 fields failed validation.');
    const byPath = new Map(thrown.errors?.map((issue) => [issue.path, issue]));
    assert.deepEqual([...byPath.keys()].sort(), ['/assignee', '/location/floor', '/priority', '/severity', '/tags/1', '/title']);
    assert.ok(thrown.errors?.every((issue) => issue.location === 'body'));
    assert.equal(byPath.get('/priority')?.message, 'Required');
    assert.equal(byPath.get('/assignee')?.message, 'Unknown field "assignee"');
    assert.equal(byPath.get('/location/floor')?.message, 'Unknown field "floor"');
    assert.match(byPath.get('/title')?.message ?? '', /3/);
  });

  it('when a whole query object is invalid, then the issue has an empty path and the query location', () => {
    const error = validationFailed(z.object({}).safeParse('text').error!, 'query');
    assert.deepEqual(
      error.errors?.map(({ location, path }) => ({ location, path })),
      [{ location: 'query', path: '' }],
    );
    assert.equal(error.detail, 'The request query is invalid: 1 field failed validation.');
  });
});
