import { AdminArea } from '@/components/admin/admin-area';
import { CategoriesTab } from '@/components/admin/categories';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminCategories');

export default function Page() {
  return (
    <AdminArea slug="categories">
      <CategoriesTab />
    </AdminArea>
  );
}
