import { AdminArea } from '@/components/admin/admin-area';
import { CalendarsTab } from '@/components/admin/calendars';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminCalendars');

export default function Page() {
  return (
    <AdminArea slug="calendars">
      <CalendarsTab />
    </AdminArea>
  );
}
