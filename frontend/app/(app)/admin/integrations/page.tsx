import { AdminArea } from '@/components/admin/admin-area';
import { ServiceAccountsTab } from '@/components/admin/service-accounts';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminIntegrations');

export default function Page() {
  return (
    <AdminArea slug="integrations">
      <ServiceAccountsTab />
    </AdminArea>
  );
}
