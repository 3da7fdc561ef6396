import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { ServiceAccountsTab } from '@/components/admin-integrations';

export const metadata: Metadata = { title: 'Integrations · Administration' };

export default function Page() {
  return (
    <AdminArea slug="integrations">
      <ServiceAccountsTab />
    </AdminArea>
  );
}
