'use client';

import { ShieldAlert } from 'lucide-react';
import type { ReactNode } from 'react';
import { EmptyState, PageHeader } from '@/components/states';
import { useUser } from '@/lib/session';
import { AdminNav } from './admin-nav';
import { ADMIN_AREAS } from './areas';

/** One area of Administration: refuses anyone but an administrator, then shows its heading, the links to the other areas and its content. */
export function AdminArea({ slug, children }: { slug: string; children: ReactNode }) {
  const user = useUser();
  const area = ADMIN_AREAS.find((candidate) => candidate.slug === slug);
  if (user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title="Administration is for administrators">
        You are not allowed to see this page. Ask an administrator if you need an account, a department or a category changed.
      </EmptyState>
    );
  }
  return (
    <>
      <PageHeader title={`Administration: ${area?.label ?? 'Overview'}`} description={area?.description} />
      <AdminNav />
      {children}
    </>
  );
}
