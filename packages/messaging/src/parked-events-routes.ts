import {
  discardParkedEventBodySchema,
  listParkedEventsQuerySchema,
  parkedEventStatusSchema,
  replayParkedEventsBodySchema,
  type ParkedEventDetail,
} from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { EventBus } from './bus.js';
import type { ParkingLot } from './parking.js';

/** Who asks: the gateway passes the admin's id; anything else acting directly names itself. */
const actorSchema = z.object({ by: z.string().trim().min(1).max(200).default('internal') });

const notFound = (id: string) => AppError.notFound('EVENT.PARKED_NOT_FOUND', `There is no parked event ${id}.`);

function eventOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * A consumer's parking lot over HTTP, for the gateway's admin API (`/admin/events/parked`), which
 * asks every consuming service and merges the answers. Mount it under `/internal/events/parked`
 * behind the internal token: it is never routed from outside, and it trusts the `by` it is given.
 */
export function parkedEventsRouter(lot: ParkingLot, bus: Pick<EventBus, 'health'>): Router {
  const router = Router();

  router.get('/', async (request, response) => {
    const query = parseInput(listParkedEventsQuerySchema.omit({ consumer: true }), request.query, 'query');
    const [items, count] = await Promise.all([
      lot.list({ status: query.status, ...(query.type ? { eventType: query.type } : {}), ...(query.subject ? { subject: query.subject } : {}), limit: query.limit }),
      lot.count(),
    ]);
    response.json({ consumer: lot.consumer, items, waiting: count, eventBus: bus.health() });
  });

  router.post('/replay', async (request, response) => {
    const { by } = parseInput(actorSchema, request.query, 'query');
    const filter = parseInput(replayParkedEventsBodySchema.omit({ consumer: true }), request.body ?? {}, 'body');
    const requested = await lot.requestReplay({ ...(filter.type ? { eventType: filter.type } : {}), ...(filter.subject ? { subject: filter.subject } : {}) }, by);
    response.json({ consumer: lot.consumer, requested });
  });

  router.get('/:id', async (request, response) => {
    const event = await lot.get(request.params.id);
    if (!event) throw notFound(request.params.id);
    const { body, ...rest } = event;
    response.json({ ...rest, event: eventOf(body) } satisfies ParkedEventDetail);
  });

  /** 409 when it exists but is no longer waiting; 404 when it does not exist here. */
  const stillParked = async (id: string) => {
    const event = await lot.get(id);
    if (!event) throw notFound(id);
    if (event.status !== parkedEventStatusSchema.enum.parked) {
      throw AppError.conflict('EVENT.ALREADY_RESOLVED', `Parked event ${id} is ${event.status.replace('_', ' ')}${event.resolvedBy ? ` (by ${event.resolvedBy})` : ''}; only a parked one can be replayed or discarded.`);
    }
  };

  router.post('/:id/replay', async (request, response) => {
    const { by } = parseInput(actorSchema, request.query, 'query');
    const replayed = await lot.replay(request.params.id, by);
    if (!replayed) {
      await stillParked(request.params.id);
      throw notFound(request.params.id);
    }
    response.json(replayed);
  });

  router.post('/:id/discard', async (request, response) => {
    const { by } = parseInput(actorSchema, request.query, 'query');
    const { reason } = parseInput(discardParkedEventBodySchema, request.body ?? {}, 'body');
    const discarded = await lot.discard(request.params.id, by, reason);
    if (!discarded) {
      await stillParked(request.params.id);
      throw notFound(request.params.id);
    }
    response.json(discarded);
  });

  return router;
}
