import { AdminArea } from '@/components/admin/admin-area';
import { EventHealthTab } from '@/components/admin/events/event-health';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminEvents');

export default function Page() {
  return (
    <AdminArea slug="events">
      <EventHealthTab />
    </AdminArea>
  );
}
