import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { WebhooksTab } from '@/components/admin/webhooks/webhooks';

export const metadata: Metadata = { title: 'Webhooks · Administration' };

export default function Page() {
  return (
    <AdminArea slug="webhooks">
      <WebhooksTab />
    </AdminArea>
  );
}
