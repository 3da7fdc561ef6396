import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { ServiceAccountsTab } from '@/components/admin/service-accounts';

export const metadata: Metadata = { title: 'Integrations · Administration' };

export default function Page() {
  return (
    <AdminArea slug="integrations">
      <ServiceAccountsTab />
    </AdminArea>
  );
}
