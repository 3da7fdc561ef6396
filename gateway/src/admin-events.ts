import { callerOf, requireRole } from '@desk/auth';
import {
  EVENT_CONSUMERS,
  discardParkedEventBodySchema,
  listParkedEventsQuerySchema,
  parkedEventDetailSchema,
  parkedEventListSchema,
  parkedEventSchema,
  replayParkedEventsBodySchema,
  replayParkedEventsResultSchema,
  type EventConsumer,
  type EventConsumerState,
  type ParkedEventList,
  type ParkedEventView,
} from '@desk/contracts';
import { AppError, REQUEST_ID_HEADER, bodyParsers, parseInput, undocumentedRouteGuard, type ApiDescription, type ApiOperation } from '@desk/platform';
import { Router, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { UpstreamName } from './routes.js';

/** Which upstream holds which consumer's parking lot. */
const CONSUMER_UPSTREAMS: Record<EventConsumer, UpstreamName> = {
  'identity-service': 'identity',
  'incident-service': 'incident',
  'notification-service': 'notification',
  'analytics-service': 'analytics',
};

const idParams = z.object({ id: z.uuid().describe('The parked event\'s id.') });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const admins = 'Admins only (`403 AUTH.FORBIDDEN` for anyone else).';
const ADMIN_TAG = {
  name: 'Event health',
  description:
    'Events a consuming service could not handle after all its retries (about 2¾ hours of them), or could never handle (a data version it does not know yet), are parked in that service with the reason. ' +
    'Admins list them here, replay them (the consumer\'s inbox still deduplicates, so a replay never has a second effect) or discard them with a reason. The gateway asks every consuming service and merges the answers.',
};

const operations: ApiOperation[] = [
  {
    method: 'get',
    path: '/admin/events/parked',
    summary: 'Parked events of every consuming service (admin)',
    description:
      `Newest first, at most \`limit\`, with each consumer's events waiting and its link to the broker. \`status\` shows resolved ones too (\`replayed\`, \`discarded\`, \`replay_requested\`). A consumer that does not answer is named in \`unavailable\` and the others are still listed. ${admins}`,
    auth: 'bearer',
    query: listParkedEventsQuerySchema,
    responses: { 200: { description: 'The parked events.', schema: parkedEventListSchema } },
    errors: [400, 403, 503],
  },
  {
    method: 'post',
    path: '/admin/events/parked/replay',
    summary: 'Replay every parked event matching a filter (admin)',
    description:
      `Every waiting event matching all the filters given (none: every waiting event) is handed back to its consumer within about a second, as a first attempt. Answers at once with how many were requested. ${admins}`,
    auth: 'bearer',
    body: replayParkedEventsBodySchema,
    responses: { 202: { description: 'The replays requested, per consumer.', schema: replayParkedEventsResultSchema } },
    errors: [400, 403, 503],
  },
  {
    method: 'get',
    path: '/admin/events/parked/{id}',
    summary: 'One parked event, with the event itself (admin)',
    description: `${admins} \`404 EVENT.PARKED_NOT_FOUND\` when no consumer holds it.`,
    auth: 'bearer',
    params: idParams,
    responses: { 200: { description: 'The parked event and the CloudEvent as its consumer received it.', schema: parkedEventDetailSchema } },
    errors: [403, 404, 503],
  },
  {
    method: 'post',
    path: '/admin/events/parked/{id}/replay',
    summary: 'Replay one parked event (admin)',
    description:
      `Hands the event back to its consumer now, as a first attempt, and marks it replayed. Idempotent in effect: the consumer's inbox ignores an event it already handled. Should it fail again, it is retried and, in the end, parked again. ${admins} ` +
      '`409 EVENT.ALREADY_RESOLVED` when it was replayed or discarded already.',
    auth: 'bearer',
    params: idParams,
    responses: { 200: { description: 'The event, now `replayed`.', schema: parkedEventSchema } },
    errors: [403, 404, 409, 503],
  },
  {
    method: 'delete',
    path: '/admin/events/parked/{id}',
    summary: 'Discard a parked event, with the reason (admin)',
    description:
      `The event is not handled; it stays listed under \`status=discarded\` with who discarded it and why. ${admins} \`409 EVENT.ALREADY_RESOLVED\` when it was replayed or discarded already.`,
    auth: 'bearer',
    params: idParams,
    body: discardParkedEventBodySchema,
    responses: { 200: { description: 'The event, now `discarded`.', schema: parkedEventSchema } },
    errors: [400, 403, 404, 409, 503],
  },
];

/** The gateway's own operations, merged into `/openapi.json` with the services' documents. */
export const eventsAdminApi: ApiDescription = {
  title: 'gateway',
  version: '1.0.0',
  tag: ADMIN_TAG,
  operations,
};

export interface EventsAdminOptions {
  upstreams: Partial<Record<UpstreamName, string>>;
  internalToken: string | undefined;
  timeoutMs: number;
  logger: Logger;
}

interface Answer {
  consumer: EventConsumer;
  /** Undefined when the consumer could not be asked or did not answer properly. */
  status?: number;
  body?: unknown;
}

/**
 * `/admin/events/parked`: the parked events of every consuming service as one list, and their
 * replay and discard. The gateway checks the caller is an admin, then asks each service's
 * `/internal/events/parked` with the internal token; events are found by id wherever they are.
 */
export function eventsAdmin({ upstreams, internalToken, timeoutMs, logger }: EventsAdminOptions): { guard: RequestHandler; routes: Router } {
  const documented = new Map<string, string[]>();
  for (const operation of operations) documented.set(operation.path, [...(documented.get(operation.path) ?? []), operation.method.toUpperCase()]);
  // `/admin/audit` is identity-service's (routes.ts): it passes to the proxy, whose upstream knows its routes.
  const guard = undocumentedRouteGuard(documented, ['/admin/audit']);

  const ask = async (consumer: EventConsumer, method: string, path: string, init: { body?: unknown; requestId: string; by?: string }): Promise<Answer> => {
    const base = upstreams[CONSUMER_UPSTREAMS[consumer]];
    if (!base) return { consumer };
    const url = new URL(`/internal/events/parked${path}`, base);
    if (init.by) url.searchParams.set('by', init.by);
    try {
      const response = await fetch(url, {
        method,
        headers: {
          ...(internalToken ? { Authorization: `Bearer ${internalToken}` } : {}),
          ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          [REQUEST_ID_HEADER]: init.requestId,
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      if (response.status >= 500 || response.status === 401) {
        logger.warn({ consumer, status: response.status, body }, 'a consumer did not answer for its parked events');
        return { consumer };
      }
      return { consumer, status: response.status, body };
    } catch (error) {
      logger.warn({ consumer, err: error }, 'could not ask a consumer for its parked events');
      return { consumer };
    }
  };

  const requestIdOf = (response: Response) => String(response.getHeader(REQUEST_ID_HEADER) ?? '');
  const unavailable = (answers: Answer[]) => answers.filter((answer) => answer.status === undefined).map((answer) => answer.consumer);
  const noneAnswered = (names: string[]) =>
    AppError.serviceUnavailable('GATEWAY.UPSTREAM_UNAVAILABLE', `No consuming service answered (${names.join(', ')}); try again shortly, or use \`npm run events -w <service>\` on a host with database access.`);

  /** The answer of the consumer that holds the event, found by asking each. */
  const forOne = async (id: string, method: string, path: string, response: Response, init: { body?: unknown; by?: string } = {}) => {
    if (!UUID.test(id)) throw AppError.notFound('EVENT.PARKED_NOT_FOUND', `There is no parked event ${id}.`);
    const answers = await Promise.all(EVENT_CONSUMERS.map((consumer) => ask(consumer, method, path, { ...init, requestId: requestIdOf(response) })));
    const holder = answers.find((answer) => answer.status !== undefined && answer.status !== 404);
    if (holder) {
      const failed = holder.status! >= 400;
      // A consumer's problem names its internal path; the caller asked for the public one.
      const body = failed && holder.body && typeof holder.body === 'object' ? { ...holder.body, instance: response.req.originalUrl.split('?')[0] } : holder.body;
      return response.status(holder.status!).type(failed ? 'application/problem+json' : 'application/json').send(JSON.stringify(body));
    }
    const missing = unavailable(answers);
    if (missing.length > 0) {
      throw AppError.serviceUnavailable('GATEWAY.UPSTREAM_UNAVAILABLE', `Parked event ${id} was not found, but ${missing.join(', ')} did not answer and may hold it; try again shortly.`);
    }
    throw AppError.notFound('EVENT.PARKED_NOT_FOUND', `There is no parked event ${id}.`);
  };

  const router = Router();
  router.get('/', async (request, response) => {
    const query = parseInput(listParkedEventsQuerySchema, request.query, 'query');
    const search = new URLSearchParams({ status: query.status, limit: String(query.limit), ...(query.type ? { type: query.type } : {}), ...(query.subject ? { subject: query.subject } : {}) });
    const answers = await Promise.all(
      EVENT_CONSUMERS.filter((consumer) => !query.consumer || consumer === query.consumer).map((consumer) => ask(consumer, 'GET', `?${search.toString()}`, { requestId: requestIdOf(response) })),
    );
    const answered = answers.filter((answer) => answer.status === 200) as (Answer & { body: { items: ParkedEventView[] } & EventConsumerState })[];
    if (answered.length === 0) throw noneAnswered(unavailable(answers));
    const items = answered
      .flatMap((answer) => answer.body.items)
      .sort((a, b) => b.parkedAt.localeCompare(a.parkedAt) || a.id.localeCompare(b.id))
      .slice(0, query.limit);
    const list: ParkedEventList = {
      items,
      consumers: Object.fromEntries(answered.map(({ consumer, body }) => [consumer, { waiting: body.waiting, eventBus: body.eventBus }])),
      unavailable: unavailable(answers),
    };
    response.set('Cache-Control', 'no-store').json(list);
  });

  router.post('/replay', async (request, response) => {
    const filter = parseInput(replayParkedEventsBodySchema, request.body ?? {}, 'body');
    const { consumer, ...rest } = filter;
    const answers = await Promise.all(
      EVENT_CONSUMERS.filter((name) => !consumer || name === consumer).map((name) => ask(name, 'POST', '/replay', { body: rest, by: callerOf(request).id, requestId: requestIdOf(response) })),
    );
    const answered = answers.filter((answer) => answer.status === 200) as (Answer & { body: { requested: number } })[];
    if (answered.length === 0) throw noneAnswered(unavailable(answers));
    const byConsumer = Object.fromEntries(answered.map((answer) => [answer.consumer, answer.body.requested]));
    logger.info({ filter, byConsumer, by: callerOf(request).id }, 'replay of parked events requested');
    response.status(202).json({ requested: answered.reduce((sum, answer) => sum + answer.body.requested, 0), byConsumer, unavailable: unavailable(answers) });
  });

  router.get('/:id', async (request, response) => {
    await forOne(request.params.id, 'GET', `/${request.params.id}`, response);
  });

  router.post('/:id/replay', async (request, response) => {
    await forOne(request.params.id, 'POST', `/${request.params.id}/replay`, response, { by: callerOf(request).id });
  });

  router.delete('/:id', async (request, response) => {
    const body = parseInput(discardParkedEventBodySchema, request.body ?? {}, 'body');
    await forOne(request.params.id, 'POST', `/${request.params.id}/discard`, response, { body, by: callerOf(request).id });
  });

  const routes = Router();
  routes.use('/admin/events/parked', requireRole('admin'), ...bodyParsers('16kb'), router);
  return {
    /** Before authentication: an undocumented `/admin` route is a 404 (or 405), whoever asks. */
    guard: (request, response, next) => (request.path === '/admin' || request.path.startsWith('/admin/') ? guard(request, response, next) : next()),
    routes,
  };
}
