import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { WebhookDetail } from '@/components/admin/webhooks/webhook-detail';

export const metadata: Metadata = { title: 'Webhook endpoint · Administration' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminArea slug="webhooks">
      <WebhookDetail id={decodeURIComponent(id)} />
    </AdminArea>
  );
}
