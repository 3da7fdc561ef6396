import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { SlaTab } from '@/components/admin/sla';

export const metadata: Metadata = { title: 'SLA policies · Administration' };

export default function Page() {
  return (
    <AdminArea slug="sla">
      <SlaTab />
    </AdminArea>
  );
}
