import type { Metadata } from 'next';
import { Suspense } from 'react';
import { IncidentList } from '@/components/incidents/incident-list';
import { LoadingRows } from '@/components/states';

export const metadata: Metadata = { title: 'Incidents' };

export default function IncidentsPage() {
  return (
    <Suspense fallback={<LoadingRows />}>
      <IncidentList />
    </Suspense>
  );
}
