import { AdminArea } from '@/components/admin/admin-area';
import { WebhooksTab } from '@/components/admin/webhooks/webhooks';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminWebhooks');

export default function Page() {
  return (
    <AdminArea slug="webhooks">
      <WebhooksTab />
    </AdminArea>
  );
}
