import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { MailDeliveriesTab } from '@/components/admin/mail-deliveries';

export const metadata: Metadata = { title: 'Mail · Administration' };

export default function Page() {
  return (
    <AdminArea slug="mail">
      <MailDeliveriesTab />
    </AdminArea>
  );
}
