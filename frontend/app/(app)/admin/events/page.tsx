import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { EventHealthTab } from '@/components/admin/events/event-health';

export const metadata: Metadata = { title: 'Event health · Administration' };

export default function Page() {
  return (
    <AdminArea slug="events">
      <EventHealthTab />
    </AdminArea>
  );
}
