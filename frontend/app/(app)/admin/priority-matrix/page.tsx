import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { PriorityMatrixTab } from '@/components/admin/priority-matrix';

export const metadata: Metadata = { title: 'Priority matrix · Administration' };

export default function Page() {
  return (
    <AdminArea slug="priority-matrix">
      <PriorityMatrixTab />
    </AdminArea>
  );
}
