import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { CalendarsTab } from '@/components/admin/calendars';

export const metadata: Metadata = { title: 'Calendars · Administration' };

export default function Page() {
  return (
    <AdminArea slug="calendars">
      <CalendarsTab />
    </AdminArea>
  );
}
