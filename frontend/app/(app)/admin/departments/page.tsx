import { AdminArea } from '@/components/admin/admin-area';
import { DepartmentsTab } from '@/components/admin/departments';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminDepartments');

export default function Page() {
  return (
    <AdminArea slug="departments">
      <DepartmentsTab />
    </AdminArea>
  );
}
