import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { DepartmentsTab } from '@/components/admin/departments';

export const metadata: Metadata = { title: 'Departments · Administration' };

export default function Page() {
  return (
    <AdminArea slug="departments">
      <DepartmentsTab />
    </AdminArea>
  );
}
