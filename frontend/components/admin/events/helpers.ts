import { useTranslations } from 'next-intl';
import { EVENT_CONSUMERS, type EventConsumer, type ParkedEventStatus } from '@desk/contracts';

const isConsumer = (consumer: string): consumer is EventConsumer => (EVENT_CONSUMERS as readonly string[]).includes(consumer);

/**
 * What each status of a parked event and each consuming service (by what it does for people)
 * is called on screen; a service the portal does not know keeps its own name.
 */
export function useEventLabels() {
  const t = useTranslations('integrations.events');
  return {
    status: (status: ParkedEventStatus) => t(`status.${status}`),
    consumer: (consumer: string) => (isConsumer(consumer) ? t(`consumer.${consumer}`) : consumer),
  };
}
