import { AdminArea } from '@/components/admin/admin-area';
import { WebhookDetail } from '@/components/admin/webhooks/webhook-detail';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminWebhook');

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <AdminArea slug="webhooks">
      <WebhookDetail id={decodeURIComponent(id)} />
    </AdminArea>
  );
}
