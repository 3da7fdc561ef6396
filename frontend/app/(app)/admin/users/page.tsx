import { AdminArea } from '@/components/admin/admin-area';
import { UsersTab } from '@/components/admin/users';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminUsers');

export default function Page() {
  return (
    <AdminArea slug="users">
      <UsersTab />
    </AdminArea>
  );
}
