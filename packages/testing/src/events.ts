import { EVENT_TYPES, consumersOf, contextOf, type AnyEvent, type EventType, type PlatformConsumer, type PublishingContext } from '@desk/contracts';
import { waitFor } from './wait.js';

type Recorded<T extends EventType> = Extract<AnyEvent, { type: T }>;

/**
 * A consumer for tests: bound to every event type one context publishes, it keeps what arrives
 * so a test can check which events a change published, once each.
 */
export class EventRecorder {
  readonly events: AnyEvent[] = [];
  /** When each event arrived here (Date.now()), by id. */
  readonly arrivedAt = new Map<string, number>();

  constructor(private readonly context: PublishingContext) {}

  /** Handlers for `bus.subscribe(name, recorder.handlers())`. */
  handlers(): Partial<Record<EventType, (event: AnyEvent) => Promise<void>>> {
    const record = (event: AnyEvent) => {
      this.events.push(event);
      this.arrivedAt.set(event.id, Date.now());
      return Promise.resolve();
    };
    return Object.fromEntries(EVENT_TYPES.filter((type) => contextOf(type) === this.context).map((type) => [type, record]));
  }

  ofType<T extends EventType>(type: T): Recorded<T>[] {
    return this.events.filter((event): event is Recorded<T> => event.type === type);
  }

  about<T extends EventType>(type: T, subject: string): Recorded<T>[] {
    return this.ofType(type).filter((event) => event.subject === subject);
  }

  /** Waits until `count` events of `type` about `subject` have arrived, and returns them. */
  async waitFor<T extends EventType>(type: T, subject: string, count = 1): Promise<Recorded<T>[]> {
    return waitFor(`${count} ${type} event(s) for ${subject}`, () => {
      const found = this.about(type, subject);
      return found.length >= count ? found : undefined;
    });
  }
}

/** The event types the catalogue says a service consumes (`eventCatalog[type].consumers`). */
export function catalogTypesConsumedBy(consumer: PlatformConsumer): EventType[] {
  return EVENT_TYPES.filter((type) => consumersOf(type).includes(consumer)).sort();
}
