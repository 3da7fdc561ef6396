import type { EventConsumer, ParkedEventStatus } from '@desk/contracts';

/** What each status of a parked event is called on screen. */
export const STATUS_LABELS: Record<ParkedEventStatus, string> = {
  parked: 'Waiting',
  replay_requested: 'Replay requested',
  replayed: 'Replayed',
  discarded: 'Discarded',
};

/** The consuming services by what they do for people. */
export const CONSUMER_LABELS: Record<EventConsumer, string> = {
  'identity-service': 'Identity (audit trail)',
  'incident-service': 'Incidents',
  'notification-service': 'Notifications',
  'analytics-service': 'Analytics',
};

/** A consuming service's name on screen; one the portal does not know keeps its own. */
export const consumerLabel = (consumer: string) => CONSUMER_LABELS[consumer as EventConsumer] ?? consumer;


