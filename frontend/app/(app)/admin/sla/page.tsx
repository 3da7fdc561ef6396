import { AdminArea } from '@/components/admin/admin-area';
import { SlaTab } from '@/components/admin/sla';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminSla');

export default function Page() {
  return (
    <AdminArea slug="sla">
      <SlaTab />
    </AdminArea>
  );
}
