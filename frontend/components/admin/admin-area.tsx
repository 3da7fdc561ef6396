'use client';

import { ShieldAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { EmptyState, PageHeader } from '@/components/states';
import { useUser } from '@/lib/session';
import { AdminNav } from './admin-nav';
import { ADMIN_AREAS } from './areas';

/** One area of Administration: refuses anyone but an administrator, then shows its heading, the links to the other areas and its content. */
export function AdminArea({ slug, children }: { slug: string; children: ReactNode }) {
  const t = useTranslations('admin');
  const user = useUser();
  const area = ADMIN_AREAS.find((candidate) => candidate.slug === slug);
  if (user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title={t('area.forbiddenTitle')}>
        {t('area.forbiddenBody')}
      </EmptyState>
    );
  }
  return (
    <>
      <PageHeader title={t('area.title', { area: area ? t(`areas.${area.key}.label`) : t('area.overview') })} description={area ? t(`areas.${area.key}.description`) : undefined} />
      <AdminNav />
      {children}
    </>
  );
}
