import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { UsersTab } from '@/components/admin/users';

export const metadata: Metadata = { title: 'Users · Administration' };

export default function Page() {
  return (
    <AdminArea slug="users">
      <UsersTab />
    </AdminArea>
  );
}
