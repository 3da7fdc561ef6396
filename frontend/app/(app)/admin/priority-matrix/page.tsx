import { AdminArea } from '@/components/admin/admin-area';
import { PriorityMatrixTab } from '@/components/admin/priority-matrix';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminPriorityMatrix');

export default function Page() {
  return (
    <AdminArea slug="priority-matrix">
      <PriorityMatrixTab />
    </AdminArea>
  );
}
