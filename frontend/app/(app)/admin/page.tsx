import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AdminPage } from '@/components/admin-page';

export const metadata: Metadata = { title: 'Administration' };

export default function Page() {
  return (
    <Suspense>
      <AdminPage />
    </Suspense>
  );
}
