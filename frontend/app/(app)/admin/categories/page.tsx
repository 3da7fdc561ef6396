import type { Metadata } from 'next';
import { AdminArea } from '@/components/admin/admin-area';
import { CategoriesTab } from '@/components/admin/categories';

export const metadata: Metadata = { title: 'Categories · Administration' };

export default function Page() {
  return (
    <AdminArea slug="categories">
      <CategoriesTab />
    </AdminArea>
  );
}
